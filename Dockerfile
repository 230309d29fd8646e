# Nobat in a container: the web app and the server are built in the first stage, the runtime
# image holds only the binary, the built SPA and libpq.

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install trunk --version 0.21.14 --locked \
 && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src
COPY . .
RUN cd frontend && npm ci --no-audit --no-fund \
 && PATH="/src/frontend/node_modules/.bin:$PATH" trunk build --release
RUN cargo build --release -p nobat-api --bin nobat

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/nobat /usr/local/bin/nobat
COPY --from=build /src/frontend/dist /srv/nobat/dist
# Uploaded files (applicants' photos): a volume in production, writable by the server's user.
RUN mkdir -p /var/lib/nobat/files && chown nobody /var/lib/nobat/files
ENV NOBAT_BIND=0.0.0.0:8080 \
    NOBAT_STATIC_DIR=/srv/nobat/dist \
    NOBAT_DATA_DIR=/var/lib/nobat/files \
    NOBAT_LOG_FORMAT=json
USER nobody
EXPOSE 8080
ENTRYPOINT ["nobat"]
CMD ["serve"]
