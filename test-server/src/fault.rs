//! A service fault: the error answer of the service (HTTP status, `Code`, `Message`), the one type the
//! verification, the validation, the account, the handlers, the scripts and the replies share; and the body the
//! service sends it in.

use std::fmt;

use crate::codes::Code;

/// An error answer of the service: its HTTP status, its `Code` and its `Message`.
///
/// The fake builds its own faults from the table of documented codes ([`Code`]); a script may answer any code a
/// test chooses ([`Fault::new`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    status: u16,
    code: FaultCode,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FaultCode {
    /// A code of the fake's table.
    Documented(Code),
    /// A code a test scripted.
    Scripted(String),
}

impl Fault {
    /// A fault with any status, code and message: what a script answers.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Fault {
        let code = code.into();
        Fault {
            status,
            code: FaultCode::Scripted(code),
            message: message.into(),
        }
    }

    /// A fault of the table, with its status.
    pub(crate) fn documented(code: Code, message: impl Into<String>) -> Fault {
        Fault {
            status: code.info().http_status,
            code: FaultCode::Documented(code),
            message: message.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Code`.
    pub fn code(&self) -> &str {
        match &self.code {
            FaultCode::Documented(code) => code.as_str(),
            FaultCode::Scripted(code) => code,
        }
    }

    /// The `Message`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The table's entry, for a fault the fake built itself; `None` for a scripted one.
    pub fn documented_code(&self) -> Option<Code> {
        match &self.code {
            FaultCode::Documented(code) => Some(*code),
            FaultCode::Scripted(_) => None,
        }
    }

    /// The service's error body: `RequestId`, `HostId`, `Code`, `Message` and `Recommend`.
    pub fn body(&self, request_id: &str, host: &str) -> String {
        let code = self.code();
        serde_json::json!({
            "RequestId": request_id,
            "HostId": host,
            "Code": code,
            "Message": self.message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Domain&requestId={request_id}"),
        })
        .to_string()
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}: {}", self.status, self.code(), self.message)
    }
}

impl std::error::Error for Fault {}

impl Code {
    /// The fault with the documented message.
    pub fn fault(self) -> Fault {
        Fault::documented(self, self.info().message)
    }

    /// The fault with a message of the fake's (naming the parameter or the value, for §6.1's templates).
    pub fn fault_with(self, message: impl Into<String>) -> Fault {
        Fault::documented(self, message)
    }
}

/// `MissingParameter` naming the parameter, as §6.1 words it (straight quotes where §6.1 prints curly ones, as
/// the fake has always answered).
pub fn missing_parameter(name: &str) -> Fault {
    Code::MissingParameter.fault_with(format!(
        "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
    ))
}

/// `InvalidParameter` naming the parameter, as §6.1 words it, with what is wrong with the value.
pub fn invalid_parameter(name: &str, why: impl fmt::Display) -> Fault {
    Code::InvalidParameter.fault_with(format!(
        "The specified value of parameter \"{name}\" is not valid: {why}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scripted_fault_keeps_any_code_and_the_body_has_the_service_keys() {
        let fault = Fault::new(429, "Throttling.User", "Slow down.");
        assert_eq!(
            (fault.status(), fault.code(), fault.documented_code()),
            (429, "Throttling.User", None)
        );
        let body: serde_json::Value = serde_json::from_str(&fault.body("R-1", "h")).unwrap();
        assert_eq!(body["Code"], "Throttling.User");
        assert_eq!(body["RequestId"], "R-1");
        assert_eq!(body["HostId"], "h");
        assert!(body["Recommend"].as_str().unwrap().contains("requestId=R-1"));
        assert_eq!(fault.to_string(), "429 Throttling.User: Slow down.");
    }

    #[test]
    fn faults_carry_the_table_status_and_the_templates_name_the_parameter() {
        let fault = Code::SignatureDoesNotMatch.fault();
        assert_eq!((fault.status(), fault.code()), (403, "SignatureDoesNotMatch"));
        assert_eq!(fault.documented_code(), Some(Code::SignatureDoesNotMatch));
        assert_eq!(
            missing_parameter("PageNum").message(),
            "The input parameter \"PageNum\" that is mandatory for processing this request is not supplied."
        );
        assert!(invalid_parameter("PageNum", "\"x\" is not an Integer")
            .message()
            .ends_with("\"PageNum\" is not valid: \"x\" is not an Integer."));
    }
}
