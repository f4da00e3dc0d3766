//! The widget's JSON, read and written by hand over the browser's own `JSON` values instead of through serde:
//! serde's derived readers cost every visitor about a tenth of the app's code. Each type here keeps the
//! shape its serde attributes give it in `protocol` (the edge reads and writes with those), and the storage
//! shapes earlier releases wrote; `tests/browser.rs` checks both against serde.
//!
//! A reader answers `None` for a value of the wrong shape, as serde would fail: a missing or `null` optional
//! field is `None`, a missing required one is a failure, fields it does not know are ignored.

mod local;
mod protocol;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A value read from JSON.
pub trait Read: Sized {
    fn read(value: &JsValue) -> Option<Self>;
}

/// A value written as JSON.
pub trait Write {
    fn write(&self) -> JsValue;
}

/// `value[key]`, or `undefined` if `value` is not an object or lacks it.
fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The field `key` of an object.
pub fn field<T: Read>(value: &JsValue, key: &str) -> Option<T> {
    T::read(&get(value, key))
}

/// The field `key`, or the type's default when it is missing or `null` (serde's `#[serde(default)]`).
pub fn field_or_default<T: Read + Default>(value: &JsValue, key: &str) -> Option<T> {
    field::<Option<T>>(value, key).map(Option::unwrap_or_default)
}

/// An object being written, field by field.
pub struct Obj(Object);

impl Obj {
    pub fn new() -> Self {
        Self(Object::new())
    }

    pub fn set(self, key: &str, value: &(impl Write + ?Sized)) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.write());
        self
    }

    /// A field left out when it is `None` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn opt<T: Write>(self, key: &str, value: &Option<T>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub fn done(self) -> JsValue {
        self.0.into()
    }
}

impl Default for Obj {
    fn default() -> Self {
        Self::new()
    }
}

impl Read for String {
    fn read(value: &JsValue) -> Option<Self> {
        value.as_string()
    }
}

impl Write for String {
    fn write(&self) -> JsValue {
        self.as_str().write()
    }
}

impl Write for str {
    fn write(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

/// A value already written (an object nested by hand).
impl Write for JsValue {
    fn write(&self) -> JsValue {
        self.clone()
    }
}

impl Read for bool {
    fn read(value: &JsValue) -> Option<Self> {
        value.as_bool()
    }
}

impl Write for bool {
    fn write(&self) -> JsValue {
        JsValue::from_bool(*self)
    }
}

impl Read for f64 {
    fn read(value: &JsValue) -> Option<Self> {
        value.as_f64()
    }
}

impl Write for f64 {
    fn write(&self) -> JsValue {
        JsValue::from_f64(*self)
    }
}

/// Whole numbers: a JSON number with no fraction, within the type's range.
macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Read for $t {
            fn read(value: &JsValue) -> Option<Self> {
                let n = value.as_f64()?;
                (n.fract() == 0.0 && n >= <$t>::MIN as f64 && n <= <$t>::MAX as f64).then_some(n as $t)
            }
        }

        impl Write for $t {
            fn write(&self) -> JsValue {
                JsValue::from_f64(*self as f64)
            }
        }
    )*};
}
integer!(i64, u64, i32, u16);

impl<T: Read> Read for Option<T> {
    fn read(value: &JsValue) -> Option<Self> {
        if value.is_null() || value.is_undefined() {
            Some(None)
        } else {
            T::read(value).map(Some)
        }
    }
}

impl<T: Write> Write for Option<T> {
    fn write(&self) -> JsValue {
        self.as_ref().map_or(JsValue::NULL, Write::write)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(value: &JsValue) -> Option<Self> {
        value.dyn_ref::<Array>()?.iter().map(|v| T::read(&v)).collect()
    }
}

impl<T: Write> Write for [T] {
    fn write(&self) -> JsValue {
        self.iter().map(Write::write).collect::<Array>().into()
    }
}

impl<T: Write> Write for Vec<T> {
    fn write(&self) -> JsValue {
        self.as_slice().write()
    }
}

impl<T: Write + ?Sized> Write for &T {
    fn write(&self) -> JsValue {
        (**self).write()
    }
}

impl<A: Read, B: Read> Read for (A, B) {
    fn read(value: &JsValue) -> Option<Self> {
        let array = value.dyn_ref::<Array>().filter(|a| a.length() == 2)?;
        Some((A::read(&array.get(0))?, B::read(&array.get(1))?))
    }
}

impl<A: Write, B: Write> Write for (A, B) {
    fn write(&self) -> JsValue {
        Array::of2(&self.0.write(), &self.1.write()).into()
    }
}

/// A unit enum written as its snake_case name; `other` names the variant an unknown name reads as
/// (serde's `#[serde(other)]`), else an unknown name is a failure.
macro_rules! names {
    ($t:ty { $($variant:ident = $name:literal),* $(,)? } $(other $other:ident = $other_name:literal)?) => {
        impl $crate::wire::Read for $t {
            fn read(value: &wasm_bindgen::JsValue) -> Option<Self> {
                let name = value.as_string()?;
                Some(match name.as_str() {
                    $($name => Self::$variant,)*
                    $($other_name => Self::$other,)?
                    #[allow(unreachable_patterns)]
                    _ => names!(@other $($other)?),
                })
            }
        }

        impl $crate::wire::Write for $t {
            fn write(&self) -> wasm_bindgen::JsValue {
                wasm_bindgen::JsValue::from_str(match self {
                    $(Self::$variant => $name,)*
                    $(Self::$other => $other_name,)?
                })
            }
        }
    };
    (@other $other:ident) => { Self::$other };
    (@other) => { return None };
}
pub(crate) use names;

/// A string newtype (serde's `#[serde(transparent)]`).
macro_rules! transparent {
    ($($t:ty),*) => {$(
        impl $crate::wire::Read for $t {
            fn read(value: &wasm_bindgen::JsValue) -> Option<Self> {
                value.as_string().map(Self)
            }
        }

        impl $crate::wire::Write for $t {
            fn write(&self) -> wasm_bindgen::JsValue {
                wasm_bindgen::JsValue::from_str(&self.0)
            }
        }
    )*};
}
pub(crate) use transparent;
