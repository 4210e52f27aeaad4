//! Small statistics for the journal's insights, computed from first principles in `f64`:
//!
//! - the beta distribution ([`Beta`]): a position's flare-up rate, with the regularised
//!   incomplete beta function ([`incomplete_beta`]) and its quantiles;
//! - Student's t ([`t_cdf`], [`t_quantile`]) and Welch's interval for a difference of two
//!   means ([`welch`]);
//! - the normal distribution ([`normal_cdf`], [`normal_quantile`], through the incomplete gamma
//!   function) and Fisher's z interval for a correlation ([`fisher_interval`]);
//! - the summaries they need: mean, variance, median, Pearson's r, lag-one autocorrelation and
//!   the effective number of pairs of two persistent series ([`effective_pairs`]).
//!
//! The functions are accurate to about 1e-10 and are tested against reference values. They
//! return `None` (or NaN for the bare distribution functions) rather than panic when the input
//! cannot give an answer, such as a variance of zero or too few values.

/// How close the solver brings a quantile.
const TOLERANCE: f64 = 1e-13;
/// Continued fractions stop after this many terms.
const MAX_TERMS: usize = 500;
/// The relative size of the last term at which a series or continued fraction stops.
const EPSILON: f64 = 1e-16;
/// Guards a continued fraction's denominators against zero.
const TINY: f64 = 1e-300;

/// The natural logarithm of the gamma function, for `x > 0` (Lanczos approximation, g = 7).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let s = (std::f64::consts::PI * x).sin().abs();
        return (std::f64::consts::PI / s).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=MAX_TERMS {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPSILON {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function I_x(a, b): the probability that a Beta(a, b)
/// variable is at most `x`. NaN unless `a > 0` and `b > 0`.
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if !(a > 0.0 && b > 0.0) || x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The continued fraction converges fast below the mean; above it, use the symmetry
    // I_x(a, b) = 1 − I_{1−x}(b, a).
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The `x` in `[lo, hi]` at which the increasing function `cdf` reaches `p`: Newton's method
/// with the density `pdf`, kept inside a shrinking bracket and falling back to bisection
/// whenever a step would leave it, so it always converges.
fn solve(
    cdf: impl Fn(f64) -> f64,
    pdf: impl Fn(f64) -> f64,
    p: f64,
    mut lo: f64,
    mut hi: f64,
    start: f64,
) -> f64 {
    let mut x = if start > lo && start < hi {
        start
    } else {
        0.5 * (lo + hi)
    };
    for _ in 0..400 {
        let err = cdf(x) - p;
        if err == 0.0 {
            return x;
        }
        if err < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        if hi - lo <= TOLERANCE * (1.0 + x.abs()) {
            break;
        }
        let density = pdf(x);
        let newton = x - err / density;
        let next = if density > 0.0 && newton.is_finite() && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= TOLERANCE * (1.0 + x.abs()) {
            return next;
        }
        x = next;
    }
    0.5 * (lo + hi)
}

/// A two-sided interval at a confidence (or credibility) level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The lower bound.
    pub lower: f64,
    /// The upper bound.
    pub upper: f64,
    /// The level, e.g. 0.95.
    pub level: f64,
}

impl Interval {
    /// Whether `value` lies outside the interval.
    pub fn excludes(&self, value: f64) -> bool {
        value < self.lower || value > self.upper
    }
}

/// A beta distribution, Beta(a, b), with `a, b > 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    /// The first shape parameter: prior pseudo-successes plus successes.
    pub a: f64,
    /// The second shape parameter: prior pseudo-failures plus failures.
    pub b: f64,
}

impl Beta {
    /// The beta distribution with this mean and strength `a + b`.
    pub fn with_mean(mean: f64, strength: f64) -> Beta {
        Beta {
            a: mean * strength,
            b: (1.0 - mean) * strength,
        }
    }

    /// The posterior after `successes` in `trials` Bernoulli trials.
    pub fn updated(self, successes: usize, trials: usize) -> Beta {
        let k = successes.min(trials) as f64;
        Beta {
            a: self.a + k,
            b: self.b + (trials as f64 - k),
        }
    }

    /// The mean, a / (a + b).
    pub fn mean(&self) -> f64 {
        self.a / (self.a + self.b)
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        incomplete_beta(self.a, self.b, x)
    }

    /// The `p`-quantile, for `p` in [0, 1].
    pub fn quantile(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        if p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return 1.0;
        }
        let (a, b) = (self.a, self.b);
        let ln_beta = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
        let pdf = |x: f64| ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta).exp();
        solve(|x| self.cdf(x), pdf, p, 0.0, 1.0, self.mean())
    }

    /// The central credible interval at `level`.
    pub fn interval(&self, level: f64) -> Interval {
        let tail = (1.0 - level) / 2.0;
        Interval {
            lower: self.quantile(tail),
            upper: self.quantile(1.0 - tail),
            level,
        }
    }
}

/// The series of the lower regularised incomplete gamma function P(a, x), for x < a + 1.
fn gamma_series(a: f64, x: f64) -> f64 {
    let mut ap = a;
    let mut sum = 1.0 / a;
    let mut del = sum;
    for _ in 0..MAX_TERMS {
        ap += 1.0;
        del *= x / ap;
        sum += del;
        if del.abs() < sum.abs() * EPSILON {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

/// The continued fraction of the upper regularised incomplete gamma function Q(a, x), for
/// x ≥ a + 1 (modified Lentz).
fn gamma_fraction(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..=MAX_TERMS {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPSILON {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// The complementary error function, accurate in the tails.
fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    let x2 = x * x;
    if x2 < 1.5 {
        1.0 - gamma_series(0.5, x2)
    } else {
        gamma_fraction(0.5, x2)
    }
}

/// The standard normal distribution function Φ(z).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The standard normal `p`-quantile, for `p` in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    solve(normal_cdf, pdf, p, -40.0, 40.0, 0.0)
}

/// Student's t distribution function with `df > 0` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || t.is_nan() {
        return f64::NAN;
    }
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t > 0.0 { 1.0 - tail } else { tail }
}

/// Student's t `p`-quantile with `df > 0` degrees of freedom, for `p` in (0, 1).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    let mut lo = -1.0;
    let mut hi = 1.0;
    for _ in 0..200 {
        if t_cdf(lo, df) <= p {
            break;
        }
        lo *= 2.0;
    }
    for _ in 0..200 {
        if t_cdf(hi, df) >= p {
            break;
        }
        hi *= 2.0;
    }
    let ln_c =
        ln_gamma((df + 1.0) / 2.0) - ln_gamma(df / 2.0) - 0.5 * (df * std::f64::consts::PI).ln();
    let pdf = |t: f64| (ln_c - (df + 1.0) / 2.0 * (t * t / df).ln_1p()).exp();
    solve(|t| t_cdf(t, df), pdf, p, lo, hi, 0.0)
}

/// The mean of `values` (NaN when empty).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sample variance of `values`, with n − 1 in the denominator (NaN with fewer than two).
pub fn variance(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() - 1) as f64
}

/// The median of `values` (the mean of the middle two for an even count), or `None` when
/// empty.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        0.5 * (v[mid - 1] + v[mid])
    } else {
        v[mid]
    })
}

/// A sample's size, mean and variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// How many values.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Their sample variance (n − 1 in the denominator).
    pub variance: f64,
}

impl Sample {
    /// The summary of `values`.
    pub fn of(values: &[f64]) -> Sample {
        Sample {
            n: values.len(),
            mean: mean(values),
            variance: variance(values),
        }
    }
}

/// A difference of two means with Welch's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// The first mean minus the second.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// The interval at the level asked for.
    pub interval: Interval,
}

/// Welch's interval for the difference of the means of `x` and `y` (x − y) at `level`:
/// unequal variances, Welch–Satterthwaite degrees of freedom. `None` when a sample has fewer
/// than two values or both variances are zero.
pub fn welch(x: Sample, y: Sample, level: f64) -> Option<Welch> {
    if x.n < 2 || y.n < 2 || !(x.variance >= 0.0 && y.variance >= 0.0) {
        return None;
    }
    let vx = x.variance / x.n as f64;
    let vy = y.variance / y.n as f64;
    let se2 = vx + vy;
    if se2.is_nan() || se2 <= 0.0 {
        return None;
    }
    let df = se2 * se2 / (vx * vx / (x.n - 1) as f64 + vy * vy / (y.n - 1) as f64);
    let se = se2.sqrt();
    let q = t_quantile(1.0 - (1.0 - level) / 2.0, df);
    let estimate = x.mean - y.mean;
    Some(Welch {
        estimate,
        standard_error: se,
        df,
        interval: Interval {
            lower: estimate - q * se,
            upper: estimate + q * se,
            level,
        },
    })
}

/// Pearson's correlation of the pairs, or `None` with fewer than three pairs or when either
/// side does not vary.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if !(sxx > 0.0 && syy > 0.0) {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Fisher's z interval for a correlation `r` from `n` pairs (which may be an effective
/// number, see [`effective_pairs`]) at `level`: tanh(atanh r ± q / √(n − 3)). `None` unless
/// n > 3.
pub fn fisher_interval(r: f64, n: f64, level: f64) -> Option<Interval> {
    if n.is_nan() || n <= 3.0 || r.is_nan() {
        return None;
    }
    // A perfect correlation has no finite z; nudge it inside so the interval is defined.
    let r = r.clamp(-1.0 + 1e-12, 1.0 - 1e-12);
    let z = r.atanh();
    let se = 1.0 / (n - 3.0).sqrt();
    let q = normal_quantile(1.0 - (1.0 - level) / 2.0);
    Some(Interval {
        lower: (z - q * se).tanh(),
        upper: (z + q * se).tanh(),
        level,
    })
}

/// The lag-one autocorrelation of a series given as consecutive pairs (value, next value),
/// or `None` with fewer than three pairs or no variation.
pub fn lag_one(pairs: &[(f64, f64)]) -> Option<f64> {
    pearson(pairs)
}

/// The effective number of independent pairs when both series are persistent (Bartlett's
/// approximation for two first-order autoregressive series): n (1 − ρx ρy) / (1 + ρx ρy),
/// where ρ are their lag-one autocorrelations. Persistence only ever lowers the number, so a
/// negative product leaves `n` as it is.
pub fn effective_pairs(n: usize, rho_x: f64, rho_y: f64) -> f64 {
    let n = n as f64;
    let product = rho_x * rho_y;
    if product.is_nan() || product <= 0.0 {
        n
    } else {
        n * (1.0 - product) / (1.0 + product)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        for (n, fact) in [(1.0, 1.0), (2.0, 1.0), (5.0, 24.0), (11.0, 3_628_800.0_f64)] {
            assert!(close(ln_gamma(n), fact.ln(), 1e-12), "Γ({n})");
        }
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
    }

    #[test]
    fn median_takes_the_middle() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}
