# The gateway (FastAPI, uvicorn) with the web chat; also runs one-shot jobs such as
# `python -m catalog.cli migrate-and-import` and the notifier. Build context: repo root.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PYTHONPATH=/app PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY . .
RUN pip install --upgrade pip && pip install . \
 && useradd --create-home --uid 1001 app && chown -R app /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"
# X-Forwarded-* are believed only from TRUSTED_PROXIES (empty: from nobody).
CMD ["sh", "-c", "exec uvicorn bot.app:app --host 0.0.0.0 --port 8000 --proxy-headers \
--forwarded-allow-ips \"${TRUSTED_PROXIES:-}\" --no-access-log --no-server-header"]
