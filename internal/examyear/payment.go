package examyear

import "time"

// KeyFeePayment is the calendar step in which the State Matura fee is paid
// (Neni 28): a receipt dated from its From to its Date pays this year's
// fee. A year may leave it out; PaymentWindow then gives the default.
const KeyFeePayment = "fee_payment" // Neni 28

// PaymentWindow returns the first and last day on which a receipt of the
// year's State Matura fee may be dated (Neni 28: paid before form A2 is
// handed in): the calendar step KeyFeePayment when the year has one
// (without From it opens on 1 September of the school year); otherwise
// from 1 September of the school year to the A2 deadline (Neni 21 ¶2).
// ok is false when the year has neither the step nor the A2 deadline.
func (c Config) PaymentWindow() (from, to time.Time, ok bool) {
	d, found := c.Deadline(KeyFeePayment)
	if !found {
		d, found = c.Deadline(KeyA2)
		d.From = ""
	}
	if !found {
		return time.Time{}, time.Time{}, false
	}
	to, err := parseDate(d.Date)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	from = time.Date(to.Year()-1, time.September, 1, 0, 0, 0, 0, time.UTC)
	if y := c.examYear(); y != 0 {
		from = time.Date(y-1, time.September, 1, 0, 0, 0, 0, time.UTC)
	}
	if d.From != "" {
		if f, err := parseDate(d.From); err == nil {
			from = f
		}
	}
	return from, to, true
}
