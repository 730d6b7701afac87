//! Storage as a map: the client machine's `Store` for tests and fuzz targets that drive the machine directly.

#![allow(dead_code)]

use std::collections::BTreeMap;

use cognito_wasm::client::Store;
use cognito_wasm::Result;

/// Storage as a map.
#[derive(Default, Clone, Debug)]
pub struct MapStore(pub BTreeMap<String, String>);

impl Store for MapStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.0.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        self.0.insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<()> {
        self.0.remove(key);
        Ok(())
    }
}
