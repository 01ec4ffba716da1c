# Rasa 3.6.21 on Python 3.10, with the repository's NLU components and a model trained
# at build time (the same inputs `make run` trains from). Build context: the repo root.
FROM python:3.10-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1

WORKDIR /app
COPY requirements-rasa.txt constraints-rasa.txt ./
RUN pip install --upgrade pip 'setuptools<70' wheel \
 && pip install -r requirements-rasa.txt

COPY rasa_ext/ rasa_ext/
COPY vntext/ vntext/
# The code entity extractor uses the status client's dossier-code grammar (stdlib only).
COPY status_client/__init__.py status_client/codes.py status_client/
COPY config.yml domain.yml credentials.yml ./
COPY nlu_data/ nlu_data/
COPY docker/endpoints.yml docker/endpoints.yml
RUN rasa train --config config.yml --domain domain.yml --data nlu_data \
      --out models --fixed-model-name assistant

RUN useradd --create-home --uid 1001 rasa && chown -R rasa /app
USER rasa
EXPOSE 5005
# The HTTP API needs RASA_AUTH_TOKEN (the shell refuses to start without one).
CMD ["sh", "-c", "exec rasa run --enable-api --auth-token \"${RASA_AUTH_TOKEN:?set RASA_AUTH_TOKEN}\" \
--model models/assistant.tar.gz --endpoints docker/endpoints.yml --credentials credentials.yml \
--port 5005 -i 0.0.0.0"]
