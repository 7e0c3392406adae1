package main

import (
	"errors"

	"github.com/esiful/sdk-go/terminal"
)

// cardErrorMessage returns a message in Russian for a failed card reading.
func cardErrorMessage(err error) string {
	switch {
	case errors.Is(err, terminal.ErrNoCard):
		return "Нет считывателя или ID-карты. Вставьте карту и повторите."
	case errors.Is(err, terminal.ErrWrongPIN), errors.Is(err, terminal.ErrPINBlocked):
		return "Карта не приняла PIN-код."
	case errors.Is(err, terminal.ErrAccessDenied):
		return "Сертификат терминала не даёт права читать эти данные карты."
	case errors.Is(err, terminal.ErrTerminalCertificateExpired):
		return "Срок действия сертификата терминала (СОКобл) истёк."
	case errors.Is(err, terminal.ErrRelayClosed):
		return "Страница закрыла связь с клиентской программой."
	}
	return "Не удалось прочитать ID-карту."
}
