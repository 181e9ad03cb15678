//! The one table of every code the fake itself answers: each with the HTTP status it comes with, the service's
//! message as documented, and the places of the spec that document it. The fake's own faults are built from
//! [`Code`] only (`fault.rs`; scripts may answer any code a test chooses); `tests/tests/fake_codes.rs` of the
//! workspace checks each row against the spec it cites.

/// Where the spec documents a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The reference's global error codes, §6.1 (`api-spec/appendix/global_errors.yaml`).
    Global,
    /// The `errors:` list of this action's spec file (each entry there names its own source).
    Errors(&'static str),
    /// The reference's example answers of this action (`error_examples:` or `example_response`).
    Example(&'static str),
    /// No source of the project documents it; why the fake answers it nonetheless.
    Undocumented(&'static str),
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code as the service sends it (`Code`).
    pub code: &'static str,
    /// The HTTP status it comes with (400 where a source leaves it out, as every other client error of §6.1
    /// but the 403s); 200 for a code that only appears inside an answer (a `SendResult`'s `Code`).
    pub http_status: u16,
    /// The service's message, as documented (for §6.1's templates, the fake names the parameter).
    pub message: &'static str,
    /// The places that document it.
    pub sources: &'static [Source],
}

macro_rules! code_table {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $status:literal, $message:literal, [$($source:expr),+ $(,)?]; )*) => {
        /// A code the fake answers: only these, so that it says only what the service is documented to say.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code of the table, in its order.
            pub const ALL: &'static [Code] = &[ $(Code::$variant,)* ];

            /// The row of this code.
            pub fn info(self) -> &'static CodeInfo {
                match self {
                    $( Code::$variant => &CodeInfo {
                        code: $code,
                        http_status: $status,
                        message: $message,
                        sources: &[$($source),+],
                    }, )*
                }
            }
        }
    };
}

use Source::{Errors, Example, Global, Undocumented};

code_table! {
    /// A required parameter (or v3 header) is missing.
    MissingParameter = "MissingParameter", 400,
        "The input parameter \u{201c}parameter name\u{201d} that is mandatory for processing this request is not supplied.",
        [Global];
    /// A parameter's value is refused (its type, its documented set, a rule of §6.2, a value the account refuses).
    InvalidParameter = "InvalidParameter", 400,
        "The specified value of parameter \u{201c}parameter name\u{201d} is not valid.",
        [Global];
    /// An action the server does not know, or a method a POST-only action refuses.
    UnsupportedOperation = "UnsupportedOperation", 400, "The specified action is not supported.", [Global];
    /// A `Version` other than the action's.
    NoSuchVersion = "NoSuchVersion", 400, "The specified version does not exist.", [Global];
    /// An AccessKey ID the server does not know.
    InvalidAccessKeyIdNotFound = "InvalidAccessKeyId.NotFound", 400,
        "The Access Key ID provided does not exist in our records.", [Global];
    /// A signature that does not match.
    SignatureDoesNotMatch = "SignatureDoesNotMatch", 403,
        "The signature we calculated does not match the one you provided. Please refer to the API reference about authentication for details.",
        [Global];
    /// A timestamp too far from the server's clock.
    InvalidTimeStampExpired = "InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.",
        [Undocumented("no source of the project says how the Domain service refuses a stale Timestamp; the SDK's \
            clock-skew correction (domain-sdk/src/clock.rs, CLOCK_SKEW_CODES) is keyed on this code, so the fake \
            answers it to exercise that path")];
    /// A domain name the account does not have.
    DomainNotExist = "DomainNotExist", 400, "The domain name does not exist.",
        [Errors("SaveSingleTaskForUpdatingContactInfo"),
         Errors("SaveBatchTaskForUpdatingContactInfoByNewContact"),
         Errors("SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId"),
         Errors("SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID"),
         Errors("QueryTransferOutInfo")];
    /// A domain with an unfinished task gets no second one.
    TaskIsBeingProcessed = "TaskIsBeingProcessed", 400, "An operation is being processed. Please try again later.",
        [Example("SaveSingleTaskForQueryingTransferAuthorizationCode"),
         Errors("SaveSingleTaskForCreatingOrderActivate"),
         Errors("SaveSingleTaskForCreatingOrderTransfer"),
         Errors("SaveSingleTaskForCreatingOrderRenew"),
         Errors("SaveSingleTaskForCreatingOrderRedeem"),
         Errors("SaveSingleTaskForCreatingDnsHost"),
         Errors("SaveSingleTaskForModifyingDnsHost"),
         Errors("SaveSingleTaskForCancelingTransferIn"),
         Errors("SaveSingleTaskForCancelingTransferOut"),
         Errors("SaveSingleTaskForUpdatingContactInfo"),
         Errors("SaveBatchTaskForUpdatingContactInfoByNewContact"),
         Errors("SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId"),
         Errors("SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID"),
         Errors("SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID")];
    /// A registrant profile (information template) the account does not have.
    ContactTemplateNotExist = "ContactTemplateNotExist", 400, "Contacts template does not exist.",
        [Errors("RegistrantProfileRealNameVerification"), Errors("SaveContactTemplateCredential"),
         Errors("DeleteRegistrantProfile")];
    /// A registrant profile verified, or under review, gets no second real-name submission.
    ContactTemplateAudited = "ContactTemplateAudited", 400,
        "The current information template has a status of real-name authentication complete or under review, so you cannot submit real-name authentication materials.",
        [Errors("RegistrantProfileRealNameVerification"), Errors("SaveContactTemplateCredential")];
    /// No real-name-verified registrant profile of the account has this id.
    ContactTemplateRealNamedNotExist = "contactTemplateRealNamedNotExist", 400,
        "The Registrant Profile completed Real-name verification does not exist.",
        [Errors("SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID")];
    /// The domain's real-name verification succeeded already.
    DomainAlreadyAudited = "DomainAlreadyAudited", 400, "The domain name is audited.",
        [Errors("SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID")];
    /// The domain's real-name verification is under review.
    DomainAlreadyAuditing = "DomainAlreadyAuditing", 400, "The domain name is on auditing.",
        [Errors("SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID")];
    /// Another group has this name.
    DomainGroupNameDuplicated = "DomainGroupNameDuplicated", 400, "The Group Name has existed.",
        [Errors("SaveDomainGroup")];
    /// A group id `DeleteDomainGroup` does not know; also a `SendResult`'s code for an address that cannot be
    /// acted on (spelled with two l's, as the sources do).
    ParameterIllegall = "ParameterIllegall", 400, "Incorrect parameter",
        [Errors("DeleteDomainGroup"), Example("ResendEmailVerification"), Example("DeleteEmailVerification")];
    /// No transfer in of the domain is pending.
    DomainTransferPendingNotExist = "DomainTransferPendingNotExist", 400,
        "The domain name is not currently being transferred in.",
        [Errors("TransferInReenterTransferAuthorizationCode"), Errors("TransferInRefetchWhoisEmail"),
         Errors("TransferInResendMailToken")];
    /// An identity credential that is not Base64.
    FileDataError = "FileDataError", 400, "File data error.",
        [Errors("RegistrantProfileRealNameVerification"),
         Errors("SaveTaskForSubmittingDomainRealNameVerificationByIdentityCredential"),
         Errors("SaveContactTemplateCredential")];
    /// An identity credential that is neither a JPG nor a BMP image.
    FileFormatNotSupported = "FileFormatNotSupported", 400, "The file format is not supported.",
        [Errors("RegistrantProfileRealNameVerification"), Errors("SaveContactTemplateCredential")];
    /// An identity credential over 1 MB.
    FileSizeGreaterThanMaxLimit = "FileSizeGreaterThanMaxLimit", 400, "The file size exceeds the maximum limit.",
        [Errors("RegistrantProfileRealNameVerification"), Errors("SaveContactTemplateCredential")];
    /// An identity credential under 55 KB.
    FileSizeLessThanMinLimit = "FileSizeLessThanMinLimit", 400, "The file size is smaller than the minimum limit.",
        [Errors("RegistrantProfileRealNameVerification"), Errors("SaveContactTemplateCredential")];
    /// A `SendResult`'s code: the verification mail was sent (or the address deleted).
    Success = "Success", 200, "Success", [Example("SubmitEmailVerification")];
    /// A `SendResult`'s code: no mail sent, as one was sent already.
    SendTokenQuotaExceeded = "SendTokenQuotaExceeded", 200,
        "The maximum number of attempts allowed to send the email verification link is exceeded.",
        [Example("SubmitEmailVerification"), Example("ResendEmailVerification")];
}

impl Code {
    /// The code as the service sends it.
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    /// The code of this name, if the table has it.
    pub fn from_code(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|candidate| candidate.as_str() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_with_a_source_and_a_status() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let info = code.info();
            assert!(seen.insert(info.code), "{} is listed twice", info.code);
            assert!(!info.sources.is_empty() && !info.message.is_empty(), "{info:?}");
            assert!(matches!(info.http_status, 200 | 400 | 403), "{info:?}");
            assert_eq!(Code::from_code(info.code), Some(*code));
        }
        let undocumented: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.info().sources.iter().any(|s| matches!(s, Source::Undocumented(_))))
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            undocumented,
            ["InvalidTimeStamp.Expired"],
            "the one exception, said so in the guide"
        );
        assert_eq!(Code::from_code("TaskNotExist"), None);
    }
}
