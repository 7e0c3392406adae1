package bign

// affinePoint is a point (x, y) other than the point at infinity.
type affinePoint struct {
	x, y fieldElement
}

// projectivePoint is a point in homogeneous coordinates (X:Y:Z), x = X/Z,
// y = Y/Z; the point at infinity is (0:1:0). Its addition uses the complete
// formulas of Renes, Costello and Batina ("Complete addition formulas for
// prime order elliptic curves", 2016, algorithms 4 and 5 for a = -3), which
// have no exceptional cases and therefore no branches on the points.
type projectivePoint struct {
	x, y, z fieldElement
}

var generator = affinePoint{
	x: fieldElement{},
	y: fieldElement{0x1e29cf1804516a93, 0x78913966c408f652, 0x5ce4c9a351d6835d, 0x6bf7fc3cfb16d69f},
}

func (p *projectivePoint) setIdentity() {
	p.x = fieldElement{}
	p.y = fieldOne
	p.z = fieldElement{}
}

func (p *projectivePoint) setAffine(a *affinePoint) {
	p.x, p.y, p.z = a.x, a.y, fieldOne
}

// add sets r = p + q; r may alias p or q.
func (r *projectivePoint) add(p, q *projectivePoint) {
	var t0, t1, t2, t3, t4, x3, y3 fieldElement
	t0.mul(&p.x, &q.x)
	t1.mul(&p.y, &q.y)
	t2.mul(&p.z, &q.z)
	t3.add(&p.x, &p.y)
	t4.add(&q.x, &q.y)
	t3.mul(&t3, &t4)
	t4.add(&t0, &t1)
	t3.sub(&t3, &t4)
	t4.add(&p.y, &p.z)
	x3.add(&q.y, &q.z)
	t4.mul(&t4, &x3)
	x3.add(&t1, &t2)
	t4.sub(&t4, &x3)
	x3.add(&p.x, &p.z)
	y3.add(&q.x, &q.z)
	x3.mul(&x3, &y3)
	y3.add(&t0, &t2)
	y3.sub(&x3, &y3)
	r.finishAdd(&t0, &t1, &t2, &t3, &t4, &y3)
}

// addAffine sets r = p + a, the mixed addition of algorithm 5 (Z2 = 1); r may
// alias p.
func (r *projectivePoint) addAffine(p *projectivePoint, a *affinePoint) {
	var t0, t1, t2, t3, t4, y3 fieldElement
	t0.mul(&p.x, &a.x)
	t1.mul(&p.y, &a.y)
	t2 = p.z
	t3.add(&a.x, &a.y)
	t4.add(&p.x, &p.y)
	t3.mul(&t3, &t4)
	t4.add(&t0, &t1)
	t3.sub(&t3, &t4)
	t4.mul(&a.y, &p.z)
	t4.add(&t4, &p.y)
	y3.mul(&a.x, &p.z)
	y3.add(&y3, &p.x)
	r.finishAdd(&t0, &t1, &t2, &t3, &t4, &y3)
}

// finishAdd is the part of algorithms 4 and 5 after the two differ: it
// consumes t0 = X1X2, t1 = Y1Y2, t2 = Z1Z2, t3 = X1Y2 + X2Y1,
// t4 = Y1Z2 + Y2Z1 and y3 = X1Z2 + X2Z1.
func (r *projectivePoint) finishAdd(t0, t1, t2, t3, t4, y3 *fieldElement) {
	var x3, z3 fieldElement
	z3.mul(&curveB, t2)
	x3.sub(y3, &z3)
	z3.add(&x3, &x3)
	x3.add(&x3, &z3)
	z3.sub(t1, &x3)
	x3.add(t1, &x3)
	y3.mul(&curveB, y3)
	t1.add(t2, t2)
	t2.add(t1, t2)
	y3.sub(y3, t2)
	y3.sub(y3, t0)
	t1.add(y3, y3)
	y3.add(t1, y3)
	t1.add(t0, t0)
	t0.add(t1, t0)
	t0.sub(t0, t2)
	t1.mul(t4, y3)
	t2.mul(t0, y3)
	y3.mul(&x3, &z3)
	y3.add(y3, t2)
	x3.mul(&x3, t3)
	x3.sub(&x3, t1)
	z3.mul(&z3, t4)
	t1.mul(t3, t0)
	z3.add(&z3, t1)
	r.x, r.y, r.z = x3, *y3, z3
}

// select2 sets r to p if bit is 1 and to q if bit is 0.
func (r *projectivePoint) select2(p, q *projectivePoint, bit uint64) {
	r.x.select2(&p.x, &q.x, bit)
	r.y.select2(&p.y, &q.y, bit)
	r.z.select2(&p.z, &q.z, bit)
}

// affine returns the affine coordinates of p and 1, or zeros and 0 if p is
// the point at infinity. The inversion of Z is constant-time.
func (p *projectivePoint) affine() (affinePoint, uint64) {
	var zInv fieldElement
	zInv.invert(&p.z)
	var a affinePoint
	a.x.mul(&p.x, &zInv)
	a.y.mul(&p.y, &zInv)
	a.x.reduce(&a.x)
	a.y.reduce(&a.y)
	return a, 1 ^ p.z.isZero()
}

// isOnCurve reports whether y^2 = x^3 - 3x + b.
func (a *affinePoint) isOnCurve() bool {
	var lhs, rhs, t fieldElement
	lhs.square(&a.y)
	rhs.square(&a.x)
	rhs.mul(&rhs, &a.x)
	t.add(&a.x, &a.x)
	t.add(&t, &a.x)
	rhs.sub(&rhs, &t)
	rhs.add(&rhs, &curveB)
	return lhs.equal(&rhs) == 1
}
