package httpapi

import (
	"net/http"
	"net/url"

	"casreset/api"
)

func (h *handler) policy(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, h.svc.Policy())
}

func (h *handler) newCaptcha(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptionalEmpty(w, r); err != nil {
		return err
	}
	c, err := h.svc.NewCaptcha(r.Context(), infoOf(r).client)
	if err != nil {
		return err
	}
	id := url.PathEscape(c.CaptchaID)
	c.ImageURL = "/v1/captchas/" + id + "/image.png"
	c.AudioURL = "/v1/captchas/" + id + "/audio.wav"
	w.Header().Set("Location", c.ImageURL)
	return writeJSON(w, http.StatusCreated, c)
}

func (h *handler) captchaImage(w http.ResponseWriter, r *http.Request) error {
	png, err := h.svc.CaptchaImage(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeBytes(w, "image/png", png)
	return nil
}

func (h *handler) captchaAudio(w http.ResponseWriter, r *http.Request) error {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = api.AudioEnglish
	}
	wav, err := h.svc.CaptchaAudio(r.Context(), r.PathValue("id"), lang)
	if err != nil {
		return err
	}
	writeBytes(w, "audio/wav", wav)
	return nil
}

func (h *handler) start(w http.ResponseWriter, r *http.Request) error {
	var req api.StartRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.Start(r.Context(), infoOf(r).client, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (h *handler) flow(w http.ResponseWriter, r *http.Request) error {
	token, err := bearerToken(r)
	if err != nil {
		return err
	}
	out, err := h.svc.Flow(r.Context(), infoOf(r).client, token)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *handler) sendCode(w http.ResponseWriter, r *http.Request) error {
	token, err := bearerToken(r)
	if err != nil {
		return err
	}
	var req api.SendCodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.SendCode(r.Context(), infoOf(r).client, token, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, out)
}

func (h *handler) verify(w http.ResponseWriter, r *http.Request) error {
	token, err := bearerToken(r)
	if err != nil {
		return err
	}
	var req api.VerifyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.Pass != "" && req.Code != "":
		return invalid("Send the validation code or a pass from IT Help, not both.")
	case req.Pass != "":
		err = h.svc.VerifyPass(r.Context(), infoOf(r).client, token, req.Pass)
	default:
		err = h.svc.Verify(r.Context(), infoOf(r).client, token, req.Code)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, api.VerifyResponse{Verified: true})
}

func (h *handler) setPassword(w http.ResponseWriter, r *http.Request) error {
	token, err := bearerToken(r)
	if err != nil {
		return err
	}
	var req api.PasswordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	out, err := h.svc.SetPassword(r.Context(), infoOf(r).client, token, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *handler) remind(w http.ResponseWriter, r *http.Request) error {
	var req api.ReminderRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := h.svc.RemindStaffNumber(r.Context(), infoOf(r).client, req); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, api.ReminderResponse{Accepted: true})
}

// healthz says the process answers; it checks nothing else, so that an
// orchestrator does not restart the service when only the database is down.
func (h *handler) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the service can do its work: database and directory
// reachable.
func (h *handler) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Ready(r.Context()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
