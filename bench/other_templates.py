"""Templates and settings of the Zola and Hugo forms of the benchmark corpus.

Why it exists: the benchmark is only fair if Zola and Hugo render pages of the same scope
as fleetdoc's built-in theme: title, metadata, table of contents and content per page, a
topic list of every page, a section list, and a fleet overview with hosts and services
tables read from the topology YAML. These minimal templates do that and nothing more.
"""

ZOLA_BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ get_url(path='/') }}">{{ config.title }}</a> · <a href="{{ get_url(path='@/fleet/_index.md') }}">Fleet</a></header>
<main>{% block main %}{% endblock main %}</main></body></html>
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block main %}
<article class="doc">
<p class="kind">{{ page.extra.kind }}</p><h1>{{ page.title }}</h1>
<p class="lede">{{ page.description }}</p>
<dl><dt>Owner</dt><dd>{{ page.extra.owner }}</dd><dt>Updated</dt><dd>{{ page.date }}</dd>
<dt>Next review</dt><dd>{{ page.extra.review }}</dd>
<dt>Tags</dt><dd>{% for t in page.extra.tags %}<span class="tag">{{ t }}</span> {% endfor %}</dd></dl>
<nav class="toc"><ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ol></nav>
<div class="prose">{{ page.content | safe }}</div>
</article>
{% endblock main %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% block main %}<h1>{{ section.title }}</h1><ul>
{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> · {{ p.description }} · {{ p.date }} · {{ p.extra.owner }}</li>
{% endfor %}</ul>{% endblock main %}
"""

ZOLA_INDEX = """{% extends "base.html" %}
{% block main %}<h1>Topic list</h1>
{% for s in section.subsections %}{% set sub = get_section(path=s) %}<section><h2>{{ sub.title }}</h2>
{% for p in sub.pages %}<div class="card"><a href="{{ p.permalink }}">{{ p.title }}</a><p>{{ p.extra.kind }} · {{ p.description }}</p><p>{{ p.date }} · {{ p.extra.owner }} · {% for t in p.extra.tags %}{{ t }} {% endfor %}</p></div>
{% endfor %}</section>{% endfor %}{% endblock main %}
"""

ZOLA_FLEET = """{% extends "base.html" %}
{% block main %}{% set fleet = load_data(path="content/fleet/fleet.yaml") %}<h1>{{ fleet.fleet.name }}</h1>
<h2>Hosts</h2><table><tr><th>id</th><th>address</th><th>role</th><th>contact</th></tr>
{% for id, h in fleet.hosts %}<tr><td>{{ id }}</td><td>{{ h.address }}</td><td>{{ h.role }}</td><td>{{ h.contact }}</td></tr>
{% endfor %}</table>
<h2>Services</h2><table><tr><th>id</th><th>host</th><th>kind</th><th>public</th></tr>
{% for id, s in fleet.services %}<tr><td>{{ id }}</td><td>{{ s.host }}</td><td>{{ s.kind }}</td><td>{{ s.public | default(value="") }}</td></tr>
{% endfor %}</table>{% endblock main %}
"""

HUGO_BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ relURL "/" }}">{{ site.Title }}</a> · <a href="{{ relURL "/fleet/" }}">Fleet</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""

HUGO_SINGLE = """{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<article class="doc">
<p class="kind">{{ .Params.kind }}</p><h1>{{ .Title }}</h1>
<p class="lede">{{ .Params.summary }}</p>
<dl><dt>Owner</dt><dd>{{ .Params.owner }}</dd><dt>Updated</dt><dd>{{ .Date.Format "2006-01-02" }}</dd>
<dt>Next review</dt><dd>{{ .Params.review }}</dd>
<dt>Tags</dt><dd>{{ range .Params.labels }}<span class="tag">{{ . }}</span> {{ end }}</dd></dl>
{{ .TableOfContents }}
<div class="prose">{{ .Content }}</div>
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.summary }} · {{ .Date.Format "2006-01-02" }} · {{ .Params.owner }}</li>
{{ end }}</ul>{{ end }}
"""

HUGO_INDEX = """{{ define "main" }}<h1>Topic list</h1>
{{ range .Sections }}<section><h2>{{ .Title }}</h2>
{{ range .Pages }}<div class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Params.kind }} · {{ .Params.summary }}</p><p>{{ .Date.Format "2006-01-02" }} · {{ .Params.owner }} · {{ range .Params.labels }}{{ . }} {{ end }}</p></div>
{{ end }}</section>{{ end }}{{ end }}
"""

HUGO_FLEET = """{{ define "main" }}{{ $f := site.Data.fleet }}<h1>{{ $f.fleet.name }}</h1>
<h2>Hosts</h2><table><tr><th>id</th><th>address</th><th>role</th><th>contact</th></tr>
{{ range $id, $h := $f.hosts }}<tr><td>{{ $id }}</td><td>{{ $h.address }}</td><td>{{ $h.role }}</td><td>{{ $h.contact }}</td></tr>
{{ end }}</table>
<h2>Services</h2><table><tr><th>id</th><th>host</th><th>kind</th><th>public</th></tr>
{{ range $id, $s := $f.services }}<tr><td>{{ $id }}</td><td>{{ $s.host }}</td><td>{{ $s.kind }}</td><td>{{ $s.public }}</td></tr>
{{ end }}</table>{{ end }}
"""

HUGO_CONFIG = """baseURL = "https://docs.example.com/"
title = "Bench Fleet Docs"
disableKinds = ["taxonomy", "term"]
buildFuture = true
refLinksErrorLevel = "ERROR"
[outputs]
home = ["html", "rss"]
section = ["html"]
page = ["html"]
[markup.highlight]
codeFences = true
noClasses = false
[markup.goldmark.renderer]
unsafe = true
"""
