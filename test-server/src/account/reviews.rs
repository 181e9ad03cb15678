//! Reviews that run in the fake's time beside tasks: a registrant profile's real-name audit (the material
//! submitted, the auditors' checks, the decision) and a domain's qualification review (the material submitted,
//! the decision); [`super::progress`] says when each is decided.

use domain_sdk::types::{IdentityCredentialType, UserType};

use super::{
    Account, Domain, FailRecord, Millis, Profile, Qualification, QualificationCredential, QualificationStatus,
    RealNameVerification,
};
use crate::codes::Code;
use crate::fault::{invalid_parameter, Fault};

impl Account {
    /// The registrant profile of this id, if it may take real-name material now.
    ///
    /// # Errors
    /// `ContactTemplateNotExist` when the account has no profile of that id; `ContactTemplateAudited` when it is
    /// verified or under audit already.
    pub(crate) fn profile_open_to_material(&self, id: i64) -> Result<&Profile, Fault> {
        let profile = self.existing_profile(id)?;
        if matches!(profile.real_name_status.as_str(), "SUCCEED" | "AUDITING") {
            return Err(Code::ContactTemplateAudited.fault());
        }
        Ok(profile)
    }

    /// Puts the registrant profile `id` under real-name audit with `material` (its image checked already):
    /// `AUDITING` from now, decided in the fake's time. The auditors' verdict is reached now, from the material
    /// and the profile ([`auditors_refusal`]), unless `material` carries a refusal already; a profile submitting
    /// again keeps the date of its first submission and records this one as the update.
    pub(crate) fn submit_profile_material(&mut self, id: i64, mut material: RealNameVerification) {
        let now = self.now;
        let Some(profile) = self.profiles.iter_mut().find(|profile| profile.id == id) else {
            return;
        };
        material.submitted = profile
            .real_name_material
            .as_ref()
            .map_or(now, |earlier| earlier.submitted);
        material.updated = now;
        if material.refusal.is_none() {
            material.refusal = auditors_refusal(profile, &material);
        }
        profile.real_name_status = "AUDITING".into();
        profile.real_name_submitted = Some(now);
        profile.real_name_reads = 0;
        profile.real_name_material = Some(material);
    }

    /// Submits qualification material for the domain `name`, as its owner does in the console (the API has no
    /// action that submits it): the review is under way from now, decided in the fake's time (passed, unless
    /// its `refusal` is set before it is decided); returns its tracking number (`TrackId`).
    ///
    /// # Errors
    /// `DomainNotExist` for a domain the account does not have; `InvalidParameter` for a domain with no review
    /// (only `.餐厅` and `.商标` domains, or one a fixture gave a review, have one), a review under way or passed,
    /// and material that is empty or has a document without its type or its file.
    pub fn submit_qualification(
        &mut self,
        name: &str,
        credentials: Vec<QualificationCredential>,
    ) -> Result<String, Fault> {
        let index = self
            .domains
            .iter()
            .position(|domain| domain.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Code::DomainNotExist.fault())?;
        let status = review_of(&self.domains[index])?.status;
        if matches!(status, QualificationStatus::Auditing | QualificationStatus::Succeeded) {
            return Err(invalid_parameter(
                "InstanceId",
                format!("the qualification review of {name} is {status:?}: it takes no new material"),
            ));
        }
        if credentials.is_empty()
            || credentials
                .iter()
                .any(|credential| credential.credential_type.is_empty() || credential.credential_url.is_empty())
        {
            return Err(invalid_parameter(
                "Credentials",
                "each document needs its type and the file uploaded for it",
            ));
        }
        let track_id = self.uuid().replace('-', "");
        let now = self.now;
        let review = review_mut(&mut self.domains[index])?;
        review.status = QualificationStatus::Auditing;
        review.credentials = credentials;
        review.track_id.clone_from(&track_id);
        review.submitted = Some(now);
        review.reads = 0;
        review.refusal = None;
        Ok(track_id)
    }
}

/// The domain's qualification review, as `QueryQualificationDetail` shows it: the one it has, or, for a `.餐厅`
/// or `.商标` domain that has none yet, one waiting for material.
///
/// # Errors
/// `InvalidParameter` naming `InstanceId` for a domain that has no review.
pub(crate) fn review_of(domain: &Domain) -> Result<std::borrow::Cow<'_, Qualification>, Fault> {
    match &domain.qualification {
        Some(review) => Ok(std::borrow::Cow::Borrowed(review)),
        None if domain.needs_qualification() => Ok(std::borrow::Cow::Owned(Qualification::default())),
        None => Err(no_review(domain)),
    }
}

/// The domain's qualification review, to change it (created waiting for material for a `.餐厅` or `.商标`
/// domain that has none yet).
///
/// # Errors
/// `InvalidParameter` naming `InstanceId` for a domain that has no review.
pub(crate) fn review_mut(domain: &mut Domain) -> Result<&mut Qualification, Fault> {
    if domain.qualification.is_none() && !domain.needs_qualification() {
        return Err(no_review(domain));
    }
    Ok(domain.qualification.get_or_insert_with(Qualification::default))
}

fn no_review(domain: &Domain) -> Fault {
    invalid_parameter(
        "InstanceId",
        format!(
            "{} has no qualification review (only .餐厅 and .商标 domains have one)",
            domain.name
        ),
    )
}

/// What the fake's auditors refuse in a registrant profile's real-name material, reading the reference: a
/// credential type of §6.3 that belongs to the other kind of holder than the profile's `RegistrantType` (an
/// individual's ID card for an organization, a business licence for an individual), and an organization's
/// credential whose number is not the 18 characters of its unified social credit code (§4.3). The image's own
/// rules are checked at submission, not here.
pub(crate) fn auditors_refusal(profile: &Profile, material: &RealNameVerification) -> Option<String> {
    let registrant = if profile.registrant_type == "2" {
        UserType::Organization
    } else {
        UserType::Individual
    };
    let credential_holder = if material.credential_type.is_empty() {
        None
    } else {
        IdentityCredentialType::from(material.credential_type.as_str()).user_type()
    };
    let holder_name = |kind: UserType| match kind {
        UserType::Organization => "an organization",
        UserType::Individual => "an individual",
    };
    if let Some(holder) = credential_holder.filter(|holder| *holder != registrant) {
        return Some(format!(
            "The credential type {} is {}'s, but the registrant is {}.",
            material.credential_type,
            holder_name(holder),
            holder_name(registrant)
        ));
    }
    let organization = credential_holder.unwrap_or(registrant) == UserType::Organization;
    if organization && material.credential_no.chars().count() != 18 {
        return Some(
            "An organization's credential number must be the 18 characters of its unified social credit code.".into(),
        );
    }
    None
}

/// A registrant profile's real-name audit ends: `FAILED` with the auditors' reason (kept among its failures),
/// else `SUCCEED` (a profile seeded `AUDITING` with no material passes; seed `real_name_status: FAILED` for one
/// refused before the fake started).
pub(super) fn decide_profile_audit(profile: &mut Profile, now: Millis) {
    let refusal = profile
        .real_name_material
        .as_ref()
        .and_then(|material| material.refusal.clone());
    match refusal {
        Some(reason) => {
            profile.real_name_status = "FAILED".into();
            profile.real_name_failures.push(FailRecord { date: now, reason });
        }
        None => profile.real_name_status = "SUCCEED".into(),
    }
    profile.real_name_submitted = None;
    profile.real_name_reads = 0;
}

/// A qualification review ends: failed with the reviewers' reason (kept among its failures), else passed.
pub(super) fn decide_qualification(review: &mut Qualification, now: Millis) {
    match review.refusal.take() {
        Some(reason) => {
            review.status = QualificationStatus::Failed;
            review.failures.push(FailRecord { date: now, reason });
        }
        None => review.status = QualificationStatus::Succeeded,
    }
    review.submitted = None;
    review.reads = 0;
}
