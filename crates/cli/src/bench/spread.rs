//! How far a ratio of two rates measured in slices can be read. On a shared 2-core machine
//! one slice's rate may be twice its neighbour's; a ratio of two sums of such slices is
//! printed with its standard error, from the spread of each side's slices, so a reader can
//! tell a difference from the machine's noise.

/// The rates of one side's slices, summed as they come: how many, their sum and the sum of
/// their squares.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Spread {
    slices: u32,
    sum: f64,
    sum_of_squares: f64,
}

impl Spread {
    /// One slice's rate.
    pub fn of(rate: f64) -> Self {
        Spread {
            slices: 1,
            sum: rate,
            sum_of_squares: rate * rate,
        }
    }

    /// The standard error of the mean slice rate, relative to that mean; `None` for fewer
    /// than two slices or a mean of zero.
    fn relative_error(&self) -> Option<f64> {
        if self.slices < 2 || self.sum <= 0.0 {
            return None;
        }
        let n = f64::from(self.slices);
        let mean = self.sum / n;
        // The sample variance; rounding may leave it a hair below zero for equal slices.
        let variance = ((self.sum_of_squares - self.sum * mean) / (n - 1.0)).max(0.0);
        Some(variance.sqrt() / n.sqrt() / mean)
    }
}

impl std::ops::AddAssign for Spread {
    fn add_assign(&mut self, other: Spread) {
        self.slices += other.slices;
        self.sum += other.sum;
        self.sum_of_squares += other.sum_of_squares;
    }
}

/// The standard error of `ratio`, the rate of side `a` over that of side `b`: each side's
/// relative error added in quadrature (the slices of the two sides are measured apart, so
/// their errors are taken as independent). `None` when either side has too few slices.
pub fn ratio_error(ratio: f64, a: &Spread, b: &Spread) -> Option<f64> {
    let (a, b) = (a.relative_error()?, b.relative_error()?);
    Some(ratio * a.hypot(b))
}

/// A ratio as printed: with its standard error where there were slices enough to tell.
pub fn with_error(ratio: f64, error: Option<f64>) -> String {
    match error {
        Some(error) => format!("{ratio:.2} ±{error:.2}"),
        None => format!("{ratio:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(rates: &[f64]) -> Spread {
        let mut spread = Spread::default();
        for &rate in rates {
            spread += Spread::of(rate);
        }
        spread
    }

    #[test]
    fn the_error_is_the_standard_error_of_the_mean_over_the_mean() {
        // Mean 100, sample standard deviation √200 ≈ 14.14, over √2 slices: 10.
        let error = spread(&[90.0, 110.0]).relative_error().unwrap();
        assert!((error - 0.1).abs() < 1e-12, "{error}");
        // Four slices of mean 10: deviations −3, −1, 1, 3, variance 20/3, error √(5/3)/10.
        let error = spread(&[7.0, 9.0, 11.0, 13.0]).relative_error().unwrap();
        assert!(
            (error - (5.0f64 / 3.0).sqrt() / 10.0).abs() < 1e-12,
            "{error}"
        );
    }

    #[test]
    fn equal_slices_leave_no_error_and_one_slice_gives_none() {
        assert_eq!(spread(&[5.0, 5.0, 5.0]).relative_error(), Some(0.0));
        assert_eq!(spread(&[5.0]).relative_error(), None);
        assert_eq!(spread(&[0.0, 0.0]).relative_error(), None);
    }

    #[test]
    fn a_ratio_adds_both_sides_errors_in_quadrature() {
        let noisy = spread(&[90.0, 110.0]);
        let steady = spread(&[50.0, 50.0]);
        let error = ratio_error(2.0, &noisy, &steady).unwrap();
        assert!((error - 0.2).abs() < 1e-12, "{error}");
        let error = ratio_error(1.0, &noisy, &noisy).unwrap();
        assert!((error - 0.1 * 2f64.sqrt()).abs() < 1e-12, "{error}");
        assert_eq!(ratio_error(1.0, &noisy, &spread(&[50.0])), None);
    }

    #[test]
    fn a_ratio_is_printed_with_its_error_only_where_there_is_one() {
        assert_eq!(with_error(0.954, Some(0.0213)), "0.95 ±0.02");
        assert_eq!(with_error(0.954, None), "0.95");
    }
}
