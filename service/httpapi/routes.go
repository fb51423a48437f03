package httpapi

import "net/http"

// routes registers the whole v1 contract (DESIGN.md, "The HTTP contract").
// The pattern is also the "route" label of the request metrics.
func (h *handler) routes() {
	h.handle("GET /v1/policy", h.policy)

	h.handle("POST /v1/captchas", h.newCaptcha)
	h.handle("GET /v1/captchas/{id}/image.png", h.captchaImage)
	h.handle("GET /v1/captchas/{id}/audio.wav", h.captchaAudio) // ?lang=en|zh

	// POST /v1/resets also answers "staff_number": the account's number as
	// the service reads it (api.NormalizeStaffNumber under
	// --staff-number-case), for the wizard to remember.
	h.handle("POST /v1/resets", h.start)
	h.handle("GET /v1/resets/current", h.flow)                 // Bearer
	h.handle("POST /v1/resets/current/code", h.sendCode)       // Bearer
	h.handle("POST /v1/resets/current/verify", h.verify)       // Bearer
	h.handle("PUT /v1/resets/current/password", h.setPassword) // Bearer

	h.handle("POST /v1/staff-number-reminders", h.remind)

	h.handle("GET /healthz", h.healthz)
	h.handle("GET /readyz", h.readyz)
	// GET /metrics is not here: MetricsHandler serves it on a listener of
	// its own (resetd serve --metrics-addr), and this one answers 404.
}

// apiFunc is a route handler: it writes a successful answer or returns the
// error that writeError turns into a problem document.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

func (h *handler) handle(pattern string, fn apiFunc) {
	h.handleHTTP(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.writeError(w, r, err)
		}
	}))
}

func (h *handler) handleHTTP(pattern string, next http.Handler) {
	h.mux.Handle(pattern, h.instrument(pattern, next))
}
