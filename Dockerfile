# migrate in a container: `docker build -t migrate .` from this folder, then, in a project
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" --network <the database's> \
#     -e DATABASE_URL=postgres://… migrate upgrade
# (examples/compose/ runs it next to a PostgreSQL service). Untested here: the machines this
# project is built on have no container engine. make test checks what the runtime stage is
# made of instead: the file list below, from the same script, is enough for the tools to start
# and run (tests/e2e/readme_test.cpp).

# Build stage: the build packages (make build-deps), a build without the tests, an install.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends make ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make build-deps \
    && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMIGRATE_BUILD_TESTS=OFF \
    && cmake --build build -j"$(nproc)" --target migrate_tools man_pages \
    && make install-built PREFIX=/usr/local \
    && scripts/runtime-files.sh /usr/local /runtime

# Runtime stage: the executables and the libraries they load, over the same Debian release,
# as a user that is not root. /work is the project: migrate.conf and migrations/.
FROM debian:bookworm-slim
COPY --from=build /runtime/ /
# A project mounted from the host belongs to the host's user, whom libgit2 (as git) does not
# trust by default: /work is declared safe, so the commit migrate records is found there.
RUN useradd --create-home --uid 10001 --user-group migrate && mkdir /work \
    && chown migrate:migrate /work && printf '[safe]\n\tdirectory = /work\n' > /etc/gitconfig
USER migrate
WORKDIR /work
ENTRYPOINT ["migrate"]
CMD ["--help"]
