# One image, one binary: docker-compose runs it as `serve`, `worker` and `migrate up`.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (pgx, modernc SQLite): a static binary that runs on distroless.
RUN CGO_ENABLED=0 go build -trimpath -o /traject ./cmd/traject

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /traject /traject
USER nonroot
ENTRYPOINT ["/traject"]
