//! An example answer built from a response shape, for an action with none published.

use super::*;

/// A JSON example built from a response tree: each field's example, else a stand-in of its type.
pub(super) fn built_example(fields: &[Field]) -> Json {
    let mut map = serde_json::Map::new();
    for f in fields {
        map.insert(f.name.clone(), example_value(f));
    }
    Json::Object(map)
}

pub(super) fn example_value(f: &Field) -> Json {
    let scalar = |word: &str, example: Option<&str>| -> Json {
        let ex = example.map(str::to_owned);
        match word {
            "Integer" | "Long" => Json::from(ex.and_then(|e| e.parse::<i64>().ok()).unwrap_or(0)),
            "Float" => Json::from(ex.and_then(|e| e.parse::<f64>().ok()).unwrap_or(0.0)),
            "Boolean" => Json::from(ex.map(|e| e == "true").unwrap_or(false)),
            _ => Json::from(ex.unwrap_or_else(|| {
                if f.name == "RequestId" {
                    "00000000-0000-0000-0000-000000000000".to_owned()
                } else {
                    String::new()
                }
            })),
        }
    };
    match f.word {
        "Object" => built_example(f.fields.as_deref().unwrap_or_default()),
        "Array" => {
            let item = match (&f.fields, f.item_type) {
                (Some(fields), _) => built_example(fields),
                (None, Some(t)) => scalar(t, None),
                (None, None) => Json::Null,
            };
            let list = Json::Array(vec![item]);
            match &f.wrapper {
                Some(w) => serde_json::json!({ w: list }),
                None => list,
            }
        }
        word => scalar(word, f.example.as_deref()),
    }
}
