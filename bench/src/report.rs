//! The one table the benchmark prints, and its JSON copy.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;

/// How a figure compares with its goal.
#[derive(Debug, Clone, Copy, Serialize)]
pub enum Goal {
    /// The ratio must be at least this.
    AtLeast(f64),
    /// The ratio must be at most this.
    AtMost(f64),
}

impl Goal {
    fn met(self, ratio: f64) -> bool {
        match self {
            Goal::AtLeast(g) => ratio >= g,
            Goal::AtMost(g) => ratio <= g,
        }
    }

    fn label(self) -> String {
        match self {
            Goal::AtLeast(g) => format!(">= {g}x"),
            Goal::AtMost(g) => format!("<= {g}x"),
        }
    }
}

/// One line of the table: a figure beside its baseline, measured in the same run.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: String,
    pub figure: String,
    pub baseline: String,
    pub ratio: f64,
    pub goal: String,
    pub met: bool,
}

impl Row {
    pub fn new(scenario: &str, figure: String, baseline: String, ratio: f64, goal: Goal) -> Self {
        Self {
            scenario: scenario.to_owned(),
            figure,
            baseline,
            ratio,
            goal: goal.label(),
            met: goal.met(ratio),
        }
    }
}

/// The whole run, as written to JSON.
#[derive(Debug, Serialize)]
pub struct Report {
    pub date: String,
    pub seconds_per_scenario: u64,
    pub connections: usize,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn print(&self) {
        let headers = ["scenario", "figure", "baseline", "ratio", "goal", "met?"];
        let cells: Vec<[String; 6]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.scenario.clone(),
                    r.figure.clone(),
                    r.baseline.clone(),
                    format!("{:.2}", r.ratio),
                    r.goal.clone(),
                    if r.met { "yes".into() } else { "NO".into() },
                ]
            })
            .collect();
        let mut widths = headers.map(|h| h.chars().count());
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |values: Vec<&str>| {
            let padded: Vec<String> = values
                .iter()
                .zip(widths)
                .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        line(headers.to_vec());
        line(widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().iter().map(String::as_str).collect());
        for row in &cells {
            line(row.iter().map(String::as_str).collect());
        }
    }

    pub fn write_json(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).context("report as JSON")?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
    }
}
