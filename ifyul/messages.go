package ifyul

import (
	"errors"
	"net/http"
)

// ErrorMessage returns the HTTP status and a message in Russian for a person
// whose login failed with err. Applications that render their own error
// pages use it to tell the cases apart the same way.
func ErrorMessage(err error) (int, string) {
	for _, m := range errorMessages {
		if errors.Is(err, m.err) {
			return m.status, m.text
		}
	}
	return http.StatusInternalServerError,
		"Не удалось выполнить вход через ЕС ИФЮЛ. Повторите попытку позже."
}

var errorMessages = []struct {
	err    error
	status int
	text   string
}{
	{ErrMaintenance, http.StatusServiceUnavailable,
		"В ЕС ИФЮЛ проводятся технические работы. Повторите вход позже."},
	{ErrAccessSuspended, http.StatusServiceUnavailable,
		"Оператор ЕС ИФЮЛ приостановил доступ этой информационной системы. " +
			"Обратитесь к её администратору."},
	{ErrProviderUnavailable, http.StatusBadGateway,
		"ЕС ИФЮЛ сейчас недоступна. Повторите вход позже."},
	{ErrKPSISUnavailable, http.StatusBadGateway,
		"КПСИС информационной системы не отвечает. Повторите вход позже."},
	{ErrClientProgramNotConfirmed, http.StatusBadRequest,
		"Клиентская программа ЕС ИФЮЛ не подтвердила запрос на вход. " +
			"Убедитесь, что она запущена, и войдите снова."},
	{ErrStoreUnavailable, http.StatusServiceUnavailable,
		"Сервис временно не может выполнить вход. Повторите попытку позже."},
	{ErrAttemptExpired, http.StatusBadRequest,
		"Время на вход истекло. Начните вход заново."},
	{ErrReplayedCallback, http.StatusBadRequest,
		"Эта попытка входа уже использована. Начните вход заново."},
	{ErrAttemptNotFound, http.StatusBadRequest,
		"Попытка входа не найдена: возможно, браузер не сохранил cookie. " +
			"Начните вход заново."},
	{ErrStateMismatch, http.StatusBadRequest,
		"Ответ ЕС ИФЮЛ относится к другой попытке входа. Начните вход заново."},
	{ErrAccessDenied, http.StatusForbidden, "Вход отменён."},
	{ErrInvalidToken, http.StatusBadGateway,
		"Ответ ЕС ИФЮЛ не прошёл проверку подлинности. Вход невозможен."},
	{ErrInvalidIdentity, http.StatusBadGateway,
		"ЕС ИФЮЛ передала неполные или неверные данные о человеке. Вход невозможен."},
}
