//! Fixture access shared by the native test files.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(fixture_path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

pub fn parse_ok(relative: &str) -> sezzle_session::Parsed {
    sezzle_session::parse_session(fixture(relative))
        .unwrap_or_else(|e| panic!("{relative} should parse: {e}"))
}
