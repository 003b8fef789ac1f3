// Start the GOV.UK Frontend components; a separate file so no inline script is needed.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
