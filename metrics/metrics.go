// Package metrics serves traject's Prometheus metrics: the Temporal SDK's
// own (task slots, schedule-to-start latency, sticky cache, ...), HTTP
// requests by route and status, and the service's gauges, read from
// PostgreSQL at each scrape. Labels carry centre IDs, phases and routes,
// never a participant.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/opentelemetry"

	"github.com/traject-ocmw/traject/store"
)

// Metrics is one process's registry.
type Metrics struct {
	registry *prometheus.Registry
	provider *sdkmetric.MeterProvider
	logger   *slog.Logger
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New registers the Go runtime and process metrics and prepares the
// Temporal SDK's.
func New(logger *slog.Logger) (*Metrics, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The SDK reports through OpenTelemetry; its exporter turns the
	// instruments into Prometheus metrics in the same registry.
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, err
	}
	m := &Metrics{
		registry: reg,
		provider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter)),
		logger:   logger,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "traject_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "traject_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m, nil
}

// Temporal is the metrics handler for the Temporal client and its workers.
func (m *Metrics) Temporal() client.MetricsHandler {
	return opentelemetry.NewMetricsHandler(opentelemetry.MetricsHandlerOptions{
		Meter:                m.provider.Meter("temporal-sdk-go"),
		UseMonotonicCounters: true,
		// the default panics; a metric is never worth a crash
		OnError: func(err error) { m.logger.Warn("temporal metric not recorded", "err", err) },
	})
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// Middleware counts and times requests by chi route pattern (never the raw
// path, which holds participant IDs).
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
	})
}

// WatchService adds the service's gauges, read from the read model and the
// outbox at each scrape.
func (m *Metrics) WatchService(db *pgxpool.Pool) {
	m.registry.MustRegister(&service{store: store.New(db)})
}

// Shutdown flushes the SDK's instruments.
func (m *Metrics) Shutdown(ctx context.Context) error { return m.provider.Shutdown(ctx) }

var (
	openDesc = prometheus.NewDesc("traject_trajectories_open",
		"Open trajectories by centre and phase.", []string{"centre", "phase"}, nil)
	overdueDesc = prometheus.NewDesc("traject_dossiers_overdue",
		"Open dossiers whose earliest deadline has passed, by centre.", []string{"centre"}, nil)
	outboxDesc = prometheus.NewDesc("traject_outbox_messages",
		"E-mails not sent: pending (being retried) or failed (given up, coordinator alerted).", []string{"status"}, nil)
	oldestDesc = prometheus.NewDesc("traject_outbox_oldest_pending_seconds",
		"Age of the oldest pending e-mail; 0 when none is pending.", nil, nil)
	upDesc = prometheus.NewDesc("traject_service_gauges_up",
		"1 when the service gauges could be read from PostgreSQL at this scrape, else 0.", nil, nil)
)

// service reads its gauges from PostgreSQL when scraped, so they are as
// fresh as the read model and cost nothing between scrapes.
type service struct {
	store *store.Store
}

func (s *service) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{openDesc, overdueDesc, outboxDesc, oldestDesc, upDesc} {
		ch <- d
	}
}

// Collect sends every gauge, or only up = 0 when PostgreSQL cannot answer:
// the SDK's metrics still go out, and the alert on up says why the
// others are missing.
func (s *service) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	gauges, err := s.read(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0)
		return
	}
	for _, g := range gauges {
		ch <- g
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1)
}

func (s *service) read(ctx context.Context) ([]prometheus.Metric, error) {
	counts, err := s.store.OpenCounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []prometheus.Metric
	overdue := map[string]float64{}
	for _, c := range counts {
		out = append(out, prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(c.Open), c.CentreID, c.Phase))
		overdue[c.CentreID] += float64(c.Overdue)
	}
	for centre, n := range overdue {
		out = append(out, prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, n, centre))
	}
	b, err := s.store.OutboxBacklog(ctx)
	if err != nil {
		return nil, err
	}
	return append(out,
		prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(b.Pending), "pending"),
		prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(b.Failed), "failed"),
		prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, b.OldestPendingSeconds),
	), nil
}
