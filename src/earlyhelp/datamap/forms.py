from __future__ import annotations

from django import forms

from earlyhelp.datamap.services import TITLE_MAX_LENGTH


class PublishNoticeForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text="Leave blank to keep the current title",
        error_messages={"max_length": f"Title must be {TITLE_MAX_LENGTH} characters or fewer"},
    )
    body = forms.CharField(
        label="Text of the notice",
        widget=forms.Textarea,
        strip=True,
        help_text=(
            "Plain text. Leave a blank line between paragraphs. Start a line with ## and a "
            "space to make it a heading."
        ),
        error_messages={"required": "Enter the text of the privacy notice"},
    )
