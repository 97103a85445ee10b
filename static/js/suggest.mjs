// Names on the register suggested while an officer types a "why not?" question (progressive
// enhancement: without this script the form is posted as typed). Choosing a name asks about it.
for (const form of document.querySelectorAll('[data-module="app-suggest"]')) {
  const input = form.querySelector('input[name="name"]')
  const box = form.querySelector('[data-suggest-box]')
  const list = form.querySelector('[data-suggest-list]')
  const status = form.querySelector('[data-suggest-status]')
  let timer = null
  let asked = ''

  const show = (names) => {
    list.replaceChildren()
    for (const found of names) {
      const item = document.createElement('li')
      const link = document.createElement('a')
      link.href = '#'
      link.className = 'govuk-link'
      link.textContent = found.numbers ? `${found.name} (${found.numbers})` : found.name
      link.addEventListener('click', (event) => {
        event.preventDefault()
        input.value = found.name
        form.requestSubmit()
      })
      item.append(link)
      list.append(item)
    }
    status.textContent = names.length
      ? `${names.length} ${names.length === 1 ? 'name matches' : 'names match'}: choose one to ask about them`
      : 'No name on the register matches'
    box.hidden = false
  }

  const ask = async () => {
    const text = input.value.trim()
    if (text.length < 2) { box.hidden = true; return }
    if (text === asked) return
    asked = text
    const url = `${form.dataset.suggestions}?q=${encodeURIComponent(text)}`
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) { box.hidden = true; return }
      if (input.value.trim() === text) show(await response.json())
    } catch {
      box.hidden = true
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(ask, 300)
  })
}
