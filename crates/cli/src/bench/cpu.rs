//! CPU readings the benchmarks print beside their rates: on a shared 2-core machine a rate
//! alone does not say whether a side was working or waiting.

/// CPU seconds this process has used (user and system, all threads), from `/proc/self/stat`
/// (whose clock ticks are 1/100 s on Linux); 0 where there is no such file.
pub fn process_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which is in parentheses and may hold spaces):
    // utime and stime are the 12th and 13th of them.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The whole machine's CPU time so far, every core and every process (PostgreSQL's too), in
/// clock ticks: how much of it was idle and how much there was.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct MachineTicks {
    pub idle: u64,
    pub total: u64,
}

impl MachineTicks {
    /// Read from `/proc/stat`; zero where there is no such file.
    pub fn now() -> Self {
        std::fs::read_to_string("/proc/stat")
            .map(|stat| Self::parse(&stat))
            .unwrap_or_default()
    }

    /// The `cpu` line of `/proc/stat`: user, nice, system, idle, iowait, irq, softirq,
    /// steal, … ticks. Idle counts `idle` and `iowait` (a core waiting for a flush does no
    /// work either); guest time is already inside user time, so it is not added again.
    fn parse(stat: &str) -> Self {
        let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else {
            return Self::default();
        };
        let ticks: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .take(8)
            .map(|t| t.parse().unwrap_or(0))
            .collect();
        MachineTicks {
            idle: ticks.iter().skip(3).take(2).sum(),
            total: ticks.iter().sum(),
        }
    }

    /// The ticks between `before` and now (`self`).
    pub fn since(self, before: MachineTicks) -> MachineTicks {
        MachineTicks {
            idle: self.idle.saturating_sub(before.idle),
            total: self.total.saturating_sub(before.total),
        }
    }

    /// The CPU seconds these ticks were busy, every core together (`/proc/stat` counts in
    /// ticks of 1/100 s).
    pub fn busy_seconds(self) -> f64 {
        self.total.saturating_sub(self.idle) as f64 / 100.0
    }

    /// The idle share of these ticks, 0 to 1 (0 when there are none).
    pub fn idle_share(self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.idle as f64 / self.total as f64
    }
}

impl std::ops::AddAssign for MachineTicks {
    fn add_assign(&mut self, other: MachineTicks) {
        self.idle += other.idle;
        self.total += other.total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_is_idle_and_iowait_of_the_cpu_line() {
        let stat = "cpu  100 5 50 800 40 3 2 0 7 0\ncpu0 50 2 25 400 20 1 1 0 0 0\nintr 1\n";
        let ticks = MachineTicks::parse(stat);
        assert_eq!(
            ticks,
            MachineTicks {
                idle: 840,
                total: 1000
            }
        );
        let later = MachineTicks {
            idle: 900,
            total: 1200,
        };
        let between = later.since(ticks);
        assert_eq!(
            between,
            MachineTicks {
                idle: 60,
                total: 200
            }
        );
        assert!((between.idle_share() - 0.3).abs() < 1e-9);
        // 140 busy ticks of 1/100 s.
        assert!((between.busy_seconds() - 1.4).abs() < 1e-9);
        assert_eq!(MachineTicks::default().idle_share(), 0.0);
        assert_eq!(MachineTicks::parse("intr 1\n"), MachineTicks::default());
    }
}
