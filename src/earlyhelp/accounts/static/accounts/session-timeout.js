// The idle-timeout warning (GOV.UK "timeout warning" pattern). A separate file: no inline
// script. Timings come from <body data-session-timeout data-session-warning> (seconds), set by
// base.html from the settings; the dialog is accounts/session_timeout_dialog.html.
//
// The server ends a session after SESSION_COOKIE_AGE seconds without a request. This opens
// the dialog `warning` seconds before that. "Stay signed in" POSTs to the keep-alive endpoint
// (any request renews the session); "Sign out", or the countdown reaching zero, signs out.

const body = document.body;
const dialog = document.getElementById("session-timeout-dialog");
const timeout = Number(body.dataset.sessionTimeout);
const warning = Number(body.dataset.sessionWarning);

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

if (dialog && typeof dialog.showModal === "function" && timeout > 0 && warning > 0) {
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const keepAliveForm = dialog.querySelector("[data-timeout-keep-alive]");
  const signOutForm = dialog.querySelector("[data-timeout-sign-out]");
  let warnTimer = null;
  let tick = null;
  let deadline = 0;

  const signOut = () => {
    window.clearInterval(tick);
    signOutForm.submit();
  };

  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = describe(left);
    if (left === 0) {
      signOut();
    } else if (left % 30 === 0 || left === 10) {
      announce.textContent = `We will sign you out in ${describe(left)}.`;
    }
  };

  const open = () => {
    deadline = Date.now() + Math.min(warning, timeout) * 1000;
    countdown.textContent = describe(Math.min(warning, timeout));
    announce.textContent = "";
    dialog.showModal();
    tick = window.setInterval(update, 1000);
  };

  const schedule = () => {
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    warnTimer = window.setTimeout(open, Math.max(0, timeout - warning) * 1000);
  };

  const stay = async () => {
    window.clearInterval(tick);
    try {
      const response = await fetch(keepAliveForm.action, {
        method: "POST",
        body: new FormData(keepAliveForm),
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json" },
      });
      if (response.status !== 204) {
        throw new Error(`keep-alive answered ${response.status}`);
      }
    } catch {
      // The session has already ended (or the server cannot be reached): show sign-in.
      window.location.assign(window.location.href);
      return;
    }
    dialog.close();
    schedule();
  };

  keepAliveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  // Escape closes a modal dialog: treat it as "Stay signed in", as the GOV.UK pattern does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });

  schedule();
}
