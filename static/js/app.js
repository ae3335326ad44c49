// Starts GOV.UK Frontend's components, with their texts in the page's language (i18n.js).
// Loaded as a module from 'self', so the Content Security Policy needs no inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { componentsConfig } from "./i18n.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll(componentsConfig());
