package attrcert

import (
	"time"
)

// parseTime decodes the GeneralizedTime of attrCertValidityPeriod.
//
// DER requires YYYYMMDDHHMMSSZ. Also accepted, because issuers write them:
// minutes without seconds, a fraction of a second, a ±hhmm offset instead of Z,
// and UTCTime (YYMMDDHHMM[SS]) in place of GeneralizedTime, which the example
// certificate of STB 34.101.67 (Appendix В) itself uses. A time without a zone
// is rejected, because its instant is unknown.
func parseTime(e *element) (time.Time, error) {
	s := e.content
	var year int
	var ok bool
	switch e.tag {
	case tagGeneralizedTime:
		if year, ok = digits(s, 4); !ok {
			return time.Time{}, errorAt(e.offset, "GeneralizedTime %q has no 4-digit year", s)
		}
		s = s[4:]
	case tagUTCTime:
		if year, ok = digits(s, 2); !ok {
			return time.Time{}, errorAt(e.offset, "UTCTime %q has no 2-digit year", s)
		}
		// RFC 5280 (4.1.2.5.1): two-digit years 50 to 99 are 19xx.
		year += 2000
		if year >= 2050 {
			year -= 100
		}
		s = s[2:]
	default:
		return time.Time{}, errorAt(e.offset,
			"tag is 0x%02x, expected GeneralizedTime (0x18) or UTCTime (0x17)", e.tag)
	}

	t, err := parseTimeOfYear(year, s)
	if err != nil {
		return time.Time{}, errorAt(e.offset, "time %q: %v", e.content, err)
	}
	return t, nil
}

type timeError string

func (e timeError) Error() string { return string(e) }

// parseTimeOfYear reads MMDDHHMM[SS][.fff](Z|±hhmm).
func parseTimeOfYear(year int, s []byte) (time.Time, error) {
	var fields [4]int
	for i := range fields {
		v, ok := digits(s, 2)
		if !ok {
			return time.Time{}, timeError("month, day, hour and minute must be 2 digits each")
		}
		fields[i], s = v, s[2:]
	}
	month, day, hour, minute := fields[0], fields[1], fields[2], fields[3]

	second, nanos := 0, 0
	if v, ok := digits(s, 2); ok {
		second, s = v, s[2:]
		if len(s) > 1 && (s[0] == '.' || s[0] == ',') {
			var err error
			if nanos, s, err = parseFraction(s[1:]); err != nil {
				return time.Time{}, err
			}
		}
	}

	offset, err := parseZone(s)
	if err != nil {
		return time.Time{}, err
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, timeError("a field is out of range")
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC)
	if t.Day() != day {
		return time.Time{}, timeError("the day does not exist in that month")
	}
	return t.Add(-offset), nil
}

func parseFraction(s []byte) (nanos int, rest []byte, err error) {
	n := 0
	scale := int(time.Second)
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		if scale > 1 {
			scale /= 10
			nanos += int(s[n]-'0') * scale
		}
		n++
	}
	if n == 0 {
		return 0, nil, timeError("the fraction of a second has no digits")
	}
	return nanos, s[n:], nil
}

// parseZone reads Z or ±hhmm and returns the offset east of UTC.
func parseZone(s []byte) (time.Duration, error) {
	switch {
	case len(s) == 1 && s[0] == 'Z':
		return 0, nil
	case len(s) == 5 && (s[0] == '+' || s[0] == '-'):
		h, okH := digits(s[1:], 2)
		m, okM := digits(s[3:], 2)
		if !okH || !okM || h > 23 || m > 59 {
			return 0, timeError("the zone offset is not ±hhmm")
		}
		offset := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if s[0] == '-' {
			offset = -offset
		}
		return offset, nil
	case len(s) == 0:
		return 0, timeError("no time zone (local time is ambiguous)")
	default:
		return 0, timeError("unexpected characters after the time")
	}
}

// digits decodes the first n bytes of s as a decimal number.
func digits(s []byte, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for _, c := range s[:n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
