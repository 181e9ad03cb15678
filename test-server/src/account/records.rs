//! What the account holds besides its tasks: domains (with their DNS hosts, DS records, real-name verification,
//! ENS association and qualification review), registrant profiles (with their real-name material), groups and
//! email verifications; and the service's date format.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch (the service's `…Long` dates).
pub type Millis = i64;

/// A day in milliseconds.
pub const DAY: Millis = 24 * 3600 * 1000;
/// A year as the fake counts registrations and renewals.
pub const YEAR: Millis = 365 * DAY;
/// How long after its expiration a domain can still be renewed (then it must be redeemed).
pub const RENEWAL_GRACE: Millis = 30 * DAY;

/// One domain of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Domain {
    /// The name (`example.com`).
    pub name: String,
    /// The instance id (`S2026…`); generated when a fixture leaves it empty.
    pub instance_id: String,
    /// When it was registered (ms).
    pub registration_date: Millis,
    /// When it expires (ms); a fixture leaving it 0 gets one year after registration.
    pub expiration_date: Millis,
    /// Its name servers.
    pub dns: Vec<String>,
    /// Whether the name servers are Alibaba Cloud DNS's.
    pub aliyun_dns: bool,
    /// Its group's id, if any.
    pub group_id: Option<String>,
    /// Its remark.
    pub remark: String,
    /// The registrant profile it was registered with, if any.
    pub registrant_profile_id: Option<i64>,
    /// The registrant's name.
    pub registrant_name: String,
    /// The registrant's organization.
    pub registrant_organization: String,
    /// The registrant's email.
    pub email: String,
    /// `1` (individual) or `2` (organization).
    pub registrant_type: String,
    /// Whether updates are prohibited (update prohibition lock).
    pub update_prohibition_lock: bool,
    /// Whether transfers are prohibited (transfer prohibition lock).
    pub transfer_prohibition_lock: bool,
    /// Whether the registry lock (server lock) is on; seeded only, as the service sells it separately.
    pub registry_lock: bool,
    /// Whether the privacy proxy hides the registrant.
    pub privacy_proxy: bool,
    /// Whether it renews automatically.
    pub auto_renew: bool,
    /// Whether it is a premium name.
    pub premium: bool,
    /// Real-name verification: `NONAUDIT`, `AUDITING`, `SUCCEED` or `FAILED`.
    pub real_name_status: String,
    /// Its DNS hosts (glue records).
    pub dns_hosts: Vec<DnsHost>,
    /// Its DS records (DNSSEC).
    pub ds_records: Vec<DsRecord>,
    /// The transfer authorization code, once a transfer out was asked for (then `TransferOutStatus` is
    /// `PENDING`).
    pub transfer_out_code: Option<String>,
    /// The resource group.
    pub resource_group_id: String,
    /// The identity credential of its latest real-name verification, once one succeeded.
    pub real_name_verification: Option<RealNameVerification>,
    /// The wallet address the ENS system holds for it (`QueryEnsAssociation`): set when an association task
    /// succeeds, cleared when a disassociation task does.
    pub ens_address: Option<String>,
    /// The ENS address Alibaba Cloud's own records hold for it (`QueryLocalEnsAssociation`): what the latest
    /// association or disassociation asked for, from its submission on, whatever its task's outcome.
    pub recorded_ens_address: Option<String>,
    /// Its qualification review (`.餐厅` and `.商标` domains), once material was submitted or a fixture seeds
    /// one.
    pub qualification: Option<Qualification>,
}

/// What a domain's real-name verification was submitted with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RealNameVerification {
    /// `SFZ`, `YYZZ`, … (empty when a registrant profile was named instead).
    pub credential_type: String,
    /// The credential's number.
    pub credential_no: String,
    /// The credential itself as sent (the image, encoded); `QueryDomainRealNameVerificationInfo` returns it
    /// with `FetchImage=true`.
    pub credential: String,
    /// The registrant profile named instead of a credential, if any.
    pub profile_id: Option<i64>,
    /// When it was submitted (ms).
    pub submitted: Millis,
    /// When it was last replaced by a new submission (ms; a registrant profile's material), 0 if it never was.
    pub updated: Millis,
    /// Why the auditors refuse it (an image outside the reference's rules, a credential that does not fit the
    /// registrant), if they do: the verification then fails with this reason when it is decided.
    pub refusal: Option<String>,
}

impl Default for Domain {
    fn default() -> Self {
        Domain {
            name: String::new(),
            instance_id: String::new(),
            registration_date: 0,
            expiration_date: 0,
            dns: vec!["dns1.hichina.com".into(), "dns2.hichina.com".into()],
            aliyun_dns: true,
            group_id: None,
            remark: String::new(),
            registrant_profile_id: None,
            registrant_name: String::new(),
            registrant_organization: String::new(),
            email: String::new(),
            registrant_type: "1".into(),
            update_prohibition_lock: false,
            transfer_prohibition_lock: false,
            registry_lock: false,
            privacy_proxy: false,
            auto_renew: false,
            premium: false,
            real_name_status: "SUCCEED".into(),
            dns_hosts: Vec::new(),
            ds_records: Vec::new(),
            transfer_out_code: None,
            resource_group_id: String::new(),
            real_name_verification: None,
            ens_address: None,
            recorded_ens_address: None,
            qualification: None,
        }
    }
}

impl Domain {
    /// `gTLD`, `ccTLD` or `New gTLD`, from the name's suffix.
    pub fn domain_type(&self) -> &'static str {
        let tld = self.name.rsplit('.').next().unwrap_or_default();
        match tld {
            "com" | "net" | "org" | "info" | "biz" | "name" | "mobi" | "pro" | "aero" | "asia" | "tel" => "gTLD",
            country if country.len() == 2 => "ccTLD",
            _ => "New gTLD",
        }
    }

    /// Whether its suffix is one whose domains pass a qualification review: `.餐厅` (restaurant) or `.商标`
    /// (trademark), in Unicode or in punycode.
    pub fn needs_qualification(&self) -> bool {
        let suffix = self.name.rsplit('.').next().unwrap_or_default();
        QUALIFIED_SUFFIXES.contains(&suffix)
    }

    /// The service's `DomainStatus` of `QueryDomainList`: `3` normal, `1` urgent renewal (expired, in grace),
    /// `2` urgent redemption.
    pub fn status(&self, now: Millis) -> &'static str {
        if now < self.expiration_date {
            "3"
        } else if now < self.expiration_date.saturating_add(RENEWAL_GRACE) {
            "1"
        } else {
            "2"
        }
    }
}

/// The suffixes whose domains pass a qualification review (§5.91 to §5.97), each in Unicode and in punycode.
const QUALIFIED_SUFFIXES: [&str; 4] = ["餐厅", "xn--imr513n", "商标", "xn--czr694b"];

/// A domain's qualification review: the material submitted, where the review stands, and its failures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Qualification {
    /// Where the review stands.
    pub status: QualificationStatus,
    /// The material under review (or last reviewed).
    pub credentials: Vec<QualificationCredential>,
    /// The review's tracking number (`TrackId`), given when material is submitted.
    pub track_id: String,
    /// When the material under review was submitted (ms); a fixture seeding a review under way may leave it
    /// out (the clock's time then).
    pub submitted: Option<Millis>,
    /// How often `QueryQualificationDetail` read it while under review (under [`crate::TaskTiming::Polls`], the
    /// review is decided on the read that reaches the count).
    pub reads: u32,
    /// Why the reviewers refuse the material, if they do: the review then fails with this reason.
    pub refusal: Option<String>,
    /// Its failed reviews, oldest first.
    pub failures: Vec<FailRecord>,
}

/// Where a qualification review stands (`AuditStatus` of `QueryQualificationDetail`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualificationStatus {
    /// No material yet, or reset (`0`, more information required).
    #[default]
    PendingInformation,
    /// Under review (`1`; the service's `2` to `4` say the same).
    Auditing,
    /// Refused (`5`).
    Failed,
    /// Passed (`6`).
    Succeeded,
    /// Canceled by the customer (`7`).
    Cancelled,
}

impl QualificationStatus {
    /// The service's `AuditStatus`.
    pub fn code(self) -> i32 {
        match self {
            QualificationStatus::PendingInformation => 0,
            QualificationStatus::Auditing => 1,
            QualificationStatus::Failed => 5,
            QualificationStatus::Succeeded => 6,
            QualificationStatus::Cancelled => 7,
        }
    }
}

/// One document of a qualification review's material.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QualificationCredential {
    /// The document's type (`SHSQB`, …).
    pub credential_type: String,
    /// Its number.
    pub credential_no: String,
    /// Where the uploaded file is (the object key under a directory `GetQualificationUploadPolicy` gave).
    pub credential_url: String,
}

/// A failed review or audit: when it was decided and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FailRecord {
    /// When it was decided (ms).
    pub date: Millis,
    /// The reviewers' reason.
    pub reason: String,
}

/// A DNS host (glue record) of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsHost {
    /// The host name (`ns1`).
    pub name: String,
    /// Its addresses.
    pub ips: Vec<String>,
}

/// A DS record of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DsRecord {
    /// Key tag.
    pub key_tag: i32,
    /// Algorithm number.
    pub algorithm: i32,
    /// Digest type number.
    pub digest_type: i32,
    /// Digest (hex).
    pub digest: String,
}

/// A registrant profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Its id.
    pub id: i64,
    /// `common` or `cnnic`.
    pub profile_type: String,
    /// `1` (individual) or `2` (organization).
    pub registrant_type: String,
    /// Whether it is the account's default.
    pub default: bool,
    /// Name.
    pub registrant_name: String,
    /// Organization.
    pub registrant_organization: String,
    /// Chinese name.
    pub zh_registrant_name: String,
    /// Chinese organization.
    pub zh_registrant_organization: String,
    /// Email.
    pub email: String,
    /// Country code.
    pub country: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// Address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Telephone area code.
    pub tel_area: String,
    /// Telephone.
    pub telephone: String,
    /// Real-name verification: `NONAUDIT`, `AUDITING`, `SUCCEED` or `FAILED`. Only a profile that is
    /// `SUCCEED` can register a domain or take one in.
    pub real_name_status: String,
    /// When its real-name verification was submitted (ms), while it is `AUDITING`.
    pub real_name_submitted: Option<Millis>,
    /// How often `QueryRegistrantProfiles` listed it while `AUDITING` (under [`crate::TaskTiming::Polls`], the
    /// audit is decided on the read that reaches the count).
    pub real_name_reads: u32,
    /// The real-name material last submitted (credential type, number and image), kept once decided.
    pub real_name_material: Option<RealNameVerification>,
    /// Its failed real-name audits, oldest first.
    pub real_name_failures: Vec<FailRecord>,
    /// Whether its email is verified.
    pub email_verified: bool,
    /// When it was created (ms).
    pub created: Millis,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            id: 0,
            profile_type: "common".into(),
            registrant_type: "1".into(),
            default: false,
            registrant_name: String::new(),
            registrant_organization: String::new(),
            zh_registrant_name: String::new(),
            zh_registrant_organization: String::new(),
            email: String::new(),
            country: String::new(),
            province: String::new(),
            city: String::new(),
            address: String::new(),
            postal_code: String::new(),
            tel_area: String::new(),
            telephone: String::new(),
            real_name_status: "NONAUDIT".into(),
            real_name_submitted: None,
            real_name_reads: 0,
            real_name_material: None,
            real_name_failures: Vec::new(),
            email_verified: false,
            created: 0,
        }
    }
}

/// A domain group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was created (ms).
    pub created: Millis,
}

/// An email address's verification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailVerification {
    /// The address.
    pub email: String,
    /// Whether it was verified.
    pub verified: bool,
    /// The token the verification mail carries (what `VerifyEmail` takes).
    pub token: String,
    /// When it was asked for (ms).
    pub created: Millis,
    /// When it was verified (ms), if it was.
    pub verified_at: Option<Millis>,
}

/// A date as the service writes it (`2026-12-03 11:30:05`, UTC).
pub fn format_date(at: Millis) -> String {
    format_time(
        at,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
}

pub(crate) fn format_time(at: Millis, format: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000))
        .ok()
        .and_then(|moment| moment.format(format).ok())
        .unwrap_or_default()
}
