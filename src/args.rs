//! Command-line options, for the preview server and for tests; the desktop app needs none.

use std::path::PathBuf;

/// How to call the program.
pub const USAGE: &str = "usage: pocketfolio [--data DIR] [--port PORT] [--seed-cards N]
  --data DIR        where the collection lives (default: the platform data folder; env POCKETFOLIO_DATA)
  --port PORT       preview builds: the port to serve on 127.0.0.1 (default 8787)
  --seed-cards N    add N synthetic cards once, for load tests";

/// Parsed options.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    /// The folder holding the database.
    pub data_dir: PathBuf,
    /// The preview's port.
    pub port: u16,
    /// Synthetic cards to add.
    pub seed_cards: usize,
}

impl Args {
    /// Reads the options; the error says which one is wrong.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut out = Args {
            data_dir: std::env::var_os("POCKETFOLIO_DATA")
                .map(PathBuf::from)
                .unwrap_or_else(crate::services::open::default_data_dir),
            port: 8787,
            seed_cards: 0,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().ok_or_else(|| format!("{name} needs a value."));
            match arg.as_str() {
                "--data" => out.data_dir = PathBuf::from(value("--data")?),
                "--port" => {
                    out.port = value("--port")?
                        .parse()
                        .map_err(|_| "--port must be a number from 0 to 65535.".to_string())?
                }
                "--seed-cards" => {
                    out.seed_cards = value("--seed-cards")?
                        .parse()
                        .map_err(|_| "--seed-cards must be a whole number.".to_string())?
                }
                other => return Err(format!("Unknown option {other}.")),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_every_option() {
        let args = parse(&["--data", "/tmp/x", "--port", "9000", "--seed-cards", "5"]).unwrap();
        assert_eq!(args.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(args.port, 9000);
        assert_eq!(args.seed_cards, 5);
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse(&["--port", "x"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--nope"]).is_err());
    }
}
