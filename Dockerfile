FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core espeak-ng \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev && ln -s /app/.venv/bin/w2 /usr/local/bin/w2
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
