// Loaded at the top of <body> (the CSP forbids inline script): tells GOV.UK Frontend JS is on.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
