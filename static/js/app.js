// Starts GOV.UK Frontend's components. Loaded as a module from 'self', so the Content
// Security Policy needs no inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
