# The action server (rasa-sdk on Python 3.11) with the catalog and the status client.
# Build context: the repo root.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PYTHONPATH=/app PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY . .
RUN pip install --upgrade pip && pip install . \
 && useradd --create-home --uid 1001 app && chown -R app /app
USER app
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=2)"
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
