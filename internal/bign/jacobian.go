package bign

// jacobianPoint is a point in Jacobian coordinates, x = X/Z^2, y = Y/Z^3,
// with an explicit flag for the point at infinity. Its operations branch on
// the points and are used only on public data in verification.
type jacobianPoint struct {
	x, y, z  fieldElement
	infinity bool
}

func (p *jacobianPoint) setAffine(a *affinePoint) {
	p.x, p.y, p.z, p.infinity = a.x, a.y, fieldOne, false
}

// double sets r = 2p with the formulas for a = -3 (3M + 5S, "dbl-2001-b"
// in the Explicit-Formulas Database). A prime-order curve has no point of
// order 2, so y is never 0 for a finite point.
func (r *jacobianPoint) double(p *jacobianPoint) {
	if p.infinity {
		r.infinity = true
		return
	}
	var delta, gamma, beta, alpha, t, u fieldElement
	delta.square(&p.z)
	gamma.square(&p.y)
	beta.mul(&p.x, &gamma)

	// alpha = 3(x - delta)(x + delta)
	t.sub(&p.x, &delta)
	u.add(&p.x, &delta)
	alpha.mul(&t, &u)
	t.add(&alpha, &alpha)
	alpha.add(&alpha, &t)

	// z3 = (y + z)^2 - gamma - delta
	t.add(&p.y, &p.z)
	t.square(&t)
	t.sub(&t, &gamma)
	r.z.sub(&t, &delta)

	// x3 = alpha^2 - 8beta
	beta.add(&beta, &beta)
	beta.add(&beta, &beta) // 4beta
	t.add(&beta, &beta)
	r.x.square(&alpha)
	r.x.sub(&r.x, &t)

	// y3 = alpha(4beta - x3) - 8gamma^2
	t.sub(&beta, &r.x)
	t.mul(&alpha, &t)
	gamma.square(&gamma)
	gamma.add(&gamma, &gamma)
	gamma.add(&gamma, &gamma)
	gamma.add(&gamma, &gamma)
	r.y.sub(&t, &gamma)
	r.infinity = false
}

// addAffine sets r = p + a (7M + 4S, "madd-2007-bl"); r may alias p.
func (r *jacobianPoint) addAffine(p *jacobianPoint, a *affinePoint) {
	if p.infinity {
		r.setAffine(a)
		return
	}
	var z1z1, u2, s2, h, hh, i, j, rr, v, t fieldElement
	z1z1.square(&p.z)
	u2.mul(&a.x, &z1z1)
	s2.mul(&a.y, &p.z)
	s2.mul(&s2, &z1z1)
	h.sub(&u2, &p.x)
	rr.sub(&s2, &p.y)
	if h.isZero() == 1 {
		if rr.isZero() == 1 {
			var q jacobianPoint
			q.setAffine(a)
			r.double(&q)
		} else {
			r.infinity = true
		}
		return
	}
	rr.add(&rr, &rr)
	hh.square(&h)
	i.add(&hh, &hh)
	i.add(&i, &i)
	j.mul(&h, &i)
	v.mul(&p.x, &i)

	// z3 = (z1 + h)^2 - z1z1 - hh, computed before p.z may be overwritten.
	t.add(&p.z, &h)
	t.square(&t)
	t.sub(&t, &z1z1)
	r.z.sub(&t, &hh)

	// y1·j is needed after x3 replaces p.x when r aliases p.
	var y1j fieldElement
	y1j.mul(&p.y, &j)

	// x3 = rr^2 - j - 2v
	r.x.square(&rr)
	r.x.sub(&r.x, &j)
	r.x.sub(&r.x, &v)
	r.x.sub(&r.x, &v)

	// y3 = rr(v - x3) - 2y1j
	t.sub(&v, &r.x)
	t.mul(&rr, &t)
	y1j.add(&y1j, &y1j)
	r.y.sub(&t, &y1j)
	r.infinity = false
}

// add sets r = p + q (11M + 5S, "add-2007-bl"); r may alias p or q.
func (r *jacobianPoint) add(p, q *jacobianPoint) {
	if p.infinity {
		*r = *q
		return
	}
	if q.infinity {
		*r = *p
		return
	}
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t fieldElement
	z1z1.square(&p.z)
	z2z2.square(&q.z)
	u1.mul(&p.x, &z2z2)
	u2.mul(&q.x, &z1z1)
	s1.mul(&p.y, &q.z)
	s1.mul(&s1, &z2z2)
	s2.mul(&q.y, &p.z)
	s2.mul(&s2, &z1z1)
	h.sub(&u2, &u1)
	rr.sub(&s2, &s1)
	if h.isZero() == 1 {
		if rr.isZero() == 1 {
			r.double(p)
		} else {
			r.infinity = true
		}
		return
	}
	rr.add(&rr, &rr)
	i.add(&h, &h)
	i.square(&i)
	j.mul(&h, &i)
	v.mul(&u1, &i)

	// z3 = ((z1 + z2)^2 - z1z1 - z2z2)·h
	t.add(&p.z, &q.z)
	t.square(&t)
	t.sub(&t, &z1z1)
	t.sub(&t, &z2z2)
	r.z.mul(&t, &h)

	// x3 = rr^2 - j - 2v
	r.x.square(&rr)
	r.x.sub(&r.x, &j)
	r.x.sub(&r.x, &v)
	r.x.sub(&r.x, &v)

	// y3 = rr(v - x3) - 2s1j
	t.sub(&v, &r.x)
	t.mul(&rr, &t)
	s1.mul(&s1, &j)
	s1.add(&s1, &s1)
	r.y.sub(&t, &s1)
	r.infinity = false
}

func (r *jacobianPoint) neg(p *jacobianPoint) {
	*r = *p
	r.y.neg(&p.y)
}

// affineX returns the canonical x coordinate of p, or false for the point
// at infinity.
func (p *jacobianPoint) affineX() (fieldElement, bool) {
	if p.infinity {
		return fieldElement{}, false
	}
	var zInv fieldElement
	zInv.invert(&p.z)
	zInv.square(&zInv)
	var x fieldElement
	x.mul(&p.x, &zInv)
	x.reduce(&x)
	return x, true
}
