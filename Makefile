VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install crawl serve test bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

crawl: $(STAMP)
	$(PY) -m demo.crawl --db data/news.db

serve: $(STAMP)
	$(VENV)/bin/newsrake serve --db data/news.db

test: $(STAMP)
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) data/*.db data/*.db-* data/*.lock
