// The slice of github.com/shopspring/decimal that Sprig's addf/subf/mulf/divf use: exact
// decimal arithmetic on the shortest decimal form of each float64, with division rounded to
// 16 decimal places (decimal.DivisionPrecision), half away from zero.

const DIVISION_PRECISION = 16;

export class Decimal {
  // value = mant × 10^exp
  private constructor(
    readonly mant: bigint,
    readonly exp: number,
  ) {}

  /** decimal.NewFromFloat: the shortest decimal that round-trips to f. */
  static fromFloat(f: number): Decimal {
    if (Number.isNaN(f) || !Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
    const [m, e] = f.toExponential().split('e');
    const neg = m.startsWith('-');
    const digits = m.replace('-', '').replace('.', '');
    const frac = m.includes('.') ? m.split('.')[1].length : 0;
    const mant = BigInt(digits) * (neg ? -1n : 1n);
    return new Decimal(mant, Number(e) - frac);
  }

  private static align(a: Decimal, b: Decimal): [bigint, bigint, number] {
    const exp = Math.min(a.exp, b.exp);
    return [a.mant * 10n ** BigInt(a.exp - exp), b.mant * 10n ** BigInt(b.exp - exp), exp];
  }

  add(o: Decimal): Decimal {
    const [x, y, exp] = Decimal.align(this, o);
    return new Decimal(x + y, exp);
  }

  sub(o: Decimal): Decimal {
    const [x, y, exp] = Decimal.align(this, o);
    return new Decimal(x - y, exp);
  }

  mul(o: Decimal): Decimal {
    return new Decimal(this.mant * o.mant, this.exp + o.exp);
  }

  /** decimal.Div = DivRound(d2, 16). */
  div(o: Decimal): Decimal {
    if (o.mant === 0n) throw new Error('decimal division by zero');
    // this/o = (m1/m2) × 10^(e1-e2); scale so the quotient has 17 fractional digits, then round.
    const shift = DIVISION_PRECISION + 1 + (this.exp - o.exp);
    let num = this.mant;
    let den = o.mant;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const q = num / den; // 17 fractional digits, truncated toward zero
    const last = q % 10n;
    let r = q / 10n;
    if (last >= 5n) r += 1n;
    else if (last <= -5n) r -= 1n;
    return new Decimal(r, -DIVISION_PRECISION);
  }

  toString(): string {
    const neg = this.mant < 0n;
    let digits = (neg ? -this.mant : this.mant).toString();
    let out: string;
    if (this.exp >= 0) out = digits + '0'.repeat(this.exp);
    else {
      const fracLen = -this.exp;
      digits = digits.padStart(fracLen + 1, '0');
      out = digits.slice(0, digits.length - fracLen) + '.' + digits.slice(digits.length - fracLen);
    }
    return (neg ? '-' : '') + out;
  }

  /** decimal.Float64: the nearest float64. */
  toFloat(): number {
    return Number(this.toString());
  }
}
