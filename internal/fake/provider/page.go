package provider

import (
	"html/template"
	"net/http"
)

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><title>ЕС ИФЮЛ (тестовый стенд): {{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em; }
.banner { background: #fff3cd; padding: .5em 1em; }
li { margin: .4em 0; }
</style></head>
<body>
<p class="banner">Тестовый стенд ЕС ИФЮЛ. Настоящие данные здесь не используются.</p>
<h1>{{.Title}}</h1>
{{if .Persons}}
<p>Выберите тестового человека, от имени которого выполнить вход:</p>
<form method="post" action="/auth/login">
<input type="hidden" name="txn" value="{{.Txn}}">
<ul>
{{range .Persons}}<li><button type="submit" name="person" value="{{.ID}}" id="person-{{.ID}}">
{{.Names.Russian.Family}} {{.Names.Russian.Given}} {{.Names.Russian.Patronymic}}</button>
<small>ИН {{.PersonalNumber}}</small></li>
{{end}}
</ul>
</form>
{{else}}<p>{{.Text}}</p>{{end}}
</body></html>
`))

func (p *Provider) writeLoginPage(w http.ResponseWriter, txn string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = pageTemplate.Execute(w, map[string]any{
		"Title": "Вход по ID-карте", "Txn": txn, "Persons": p.cfg.Persons.All(),
	})
}

func (p *Provider) writePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, map[string]any{"Title": title, "Text": text})
}
