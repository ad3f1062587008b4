//! Raw values from the file and the environment, and their typed parsing with clear errors.

use super::settings::{find, Setting};
use super::ConfigError;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Variables that start with `CONSIGNE_` but are not settings: the file path (read by the
/// command line) and the test harness's own variables.
fn is_reserved(var: &str) -> bool {
    var == "CONSIGNE_CONFIG" || var.starts_with("CONSIGNE_TEST_")
}

/// Raw setting values by key, before typing.
#[derive(Debug, Default, Clone)]
pub struct Source {
    values: BTreeMap<&'static str, String>,
}

impl Source {
    /// Reads the optional TOML file, then overlays `CONSIGNE_*` variables.
    pub fn from_env_and_file(
        vars: impl IntoIterator<Item = (String, String)>,
        file: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let mut source = Source::default();
        if let Some(path) = file {
            source.read_file(path)?;
        }
        for (var, value) in vars {
            if !var.starts_with("CONSIGNE_") || is_reserved(&var) {
                continue;
            }
            let setting = super::SETTINGS.iter().find(|s| s.env == var).ok_or(ConfigError::Unknown(var))?;
            source.values.insert(setting.key, value);
        }
        Ok(source)
    }

    /// Sets values by key (tests, and the command line).
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Result<Self, ConfigError> {
        let setting = find(key).ok_or_else(|| ConfigError::Unknown(key.to_owned()))?;
        self.values.insert(setting.key, value.into());
        Ok(self)
    }

    fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let file_error = |message: String| ConfigError::File { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        let table: toml::Table =
            text.parse().map_err(|e: toml::de::Error| file_error(e.message().to_owned()))?;
        let mut flat = Vec::new();
        flatten("", &table, &mut flat).map_err(file_error)?;
        for (key, value) in flat {
            let setting = find(&key).ok_or_else(|| file_error(format!("unknown setting {key}")))?;
            self.values.insert(setting.key, value);
        }
        Ok(())
    }

    fn setting(key: &str) -> Result<&'static Setting, ConfigError> {
        find(key).ok_or_else(|| ConfigError::Unknown(key.to_owned()))
    }

    fn raw(&self, key: &str) -> Result<(&'static Setting, Option<String>), ConfigError> {
        let setting = Self::setting(key)?;
        let value = self.values.get(setting.key).cloned().or_else(|| setting.default.map(str::to_owned));
        Ok((setting, value))
    }

    fn invalid(setting: &'static Setting, got: &str) -> ConfigError {
        let got = if setting.secret { "[redacted]".to_owned() } else { got.to_owned() };
        ConfigError::Invalid { key: setting.key, env: setting.env, expected: setting.expects, got }
    }

    pub fn string(&self, key: &str) -> Result<String, ConfigError> {
        let (setting, value) = self.raw(key)?;
        value.ok_or(ConfigError::Missing { key: setting.key, env: setting.env, because: "it has no default" })
    }

    /// A value that may be absent or empty.
    pub fn optional(&self, key: &str) -> Option<String> {
        self.raw(key).ok().and_then(|(_, v)| v).filter(|v| !v.trim().is_empty())
    }

    pub fn required(&self, key: &str, because: &'static str) -> Result<String, ConfigError> {
        let setting = Self::setting(key)?;
        self.optional(key).ok_or(ConfigError::Missing { key: setting.key, env: setting.env, because })
    }

    /// Parses with `FromStr`, checking the setting's bounds for whole numbers.
    pub fn parse<T: FromStr>(&self, key: &str) -> Result<T, ConfigError> {
        let (setting, value) = self.raw(key)?;
        let value = value.ok_or(ConfigError::Missing {
            key: setting.key,
            env: setting.env,
            because: "it has no default",
        })?;
        let trimmed = value.trim();
        if let Some((min, max)) = setting.range {
            match trimmed.parse::<u64>() {
                Ok(n) if n >= min && n <= max => {}
                _ => return Err(Self::invalid(setting, &value)),
            }
        }
        trimmed.parse().map_err(|_| Self::invalid(setting, &value))
    }

    /// Parses with a function that returns `None` for an invalid value.
    pub fn parse_with<T>(&self, key: &str, f: impl Fn(&str) -> Option<T>) -> Result<T, ConfigError> {
        let (setting, value) = self.raw(key)?;
        let value = value.unwrap_or_default();
        f(value.trim()).ok_or_else(|| Self::invalid(setting, &value))
    }

    pub fn seconds(&self, key: &str) -> Result<Duration, ConfigError> {
        self.parse::<u64>(key).map(Duration::from_secs)
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        match value {
            toml::Value::Table(t) => flatten(&key, t, out)?,
            toml::Value::String(s) => out.push((key, s.clone())),
            toml::Value::Integer(i) => out.push((key, i.to_string())),
            toml::Value::Boolean(b) => out.push((key, b.to_string())),
            toml::Value::Float(f) => out.push((key, f.to_string())),
            _ => return Err(format!("{key}: expected a string, number or boolean")),
        }
    }
    Ok(())
}
