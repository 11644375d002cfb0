//! Temperature readings: unit conversion and summary statistics.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    Celsius,
    Fahrenheit,
    Kelvin,
}

/// Converts a temperature between units.
pub fn convert(value: f64, from: Unit, to: Unit) -> f64 {
    let celsius = match from {
        Unit::Celsius => value,
        Unit::Fahrenheit => (value - 32.0) * 5.0 / 9.0,
        Unit::Kelvin => value - 273.15,
    };
    match to {
        Unit::Celsius => celsius,
        Unit::Fahrenheit => celsius * 9.0 / 5.0 + 32.0,
        Unit::Kelvin => celsius + 273.15,
    }
}

/// Minimum, maximum and mean of a non-empty series.
#[derive(Debug, PartialEq)]
pub struct Summary {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let min = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    Some(Summary { min, max, mean })
}

/// Groups readings by station name and summarizes each station.
pub fn by_station(readings: &[(String, f64)]) -> HashMap<String, Summary> {
    let mut grouped: HashMap<String, Vec<f64>> = HashMap::new();
    for (station, value) in readings {
        grouped.entry(station.clone()).or_default().push(*value);
    }
    grouped
        .into_iter()
        .filter_map(|(station, values)| summarize(&values).map(|s| (station, s)))
        .collect()
}

/// Parses lines like `oslo;-3.5`, skipping blank lines and reporting the first bad one.
pub fn parse_readings(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (station, value) = line
            .split_once(';')
            .ok_or_else(|| format!("line {}: expected `station;value`", number + 1))?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("line {}: {:?} is not a number", number + 1, value))?;
        out.push((station.trim().to_string(), value));
    }
    Ok(out)
}

fn main() {
    let readings = parse_readings("oslo;-3.5\nrome;14.0\noslo;1.5\n").expect("valid input");
    for (station, summary) in by_station(&readings) {
        println!("{}: {:?}", station, summary);
    }
    println!("{:.1}", convert(100.0, Unit::Celsius, Unit::Fahrenheit));
}
