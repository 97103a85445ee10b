// Start GOV.UK Frontend's components (error summary focus, service navigation toggle, ...).
import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()

// A "Print this record" button, shown only where JavaScript can print (progressive enhancement).
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
