//! How the account moves on in the fake's time: tasks are created, read, and end when their timing says
//! (reads under [`TaskTiming::Polls`], the virtual clock under [`TaskTiming::Clock`]), and registrant profiles'
//! real-name audits and domains' qualification reviews are decided the same way.

use super::reviews::{decide_profile_audit, decide_qualification};
use super::{Account, DetailStatus, Effect, Millis, NewDetail, QualificationStatus, Task, TaskDetail, TaskTiming};

impl Account {
    /// Creates a task with one detail per [`NewDetail`]; returns its number.
    pub fn create_task(&mut self, action: &str, task_type: &str, client_ip: &str, details: Vec<NewDetail>) -> String {
        let task_no = self.uuid();
        let details = details
            .into_iter()
            .map(|new| TaskDetail {
                detail_no: self.uuid(),
                domain: new.domain,
                instance_id: new.instance_id,
                status: DetailStatus::Waiting,
                polls: 0,
                acknowledged: false,
                effect: new.effect,
                updated: self.now,
            })
            .collect();
        self.tasks.push(Task {
            task_no: task_no.clone(),
            task_type: task_type.to_owned(),
            action: action.to_owned(),
            created: self.now,
            client_ip: if client_ip.is_empty() {
                "127.0.0.1".into()
            } else {
                client_ip.to_owned()
            },
            canceled: false,
            details,
        });
        if let TaskTiming::Clock(_) = self.task_timing {
            self.settle();
        }
        task_no
    }

    /// Records one read of a detail (`QueryTaskDetailList` and its kin) and moves it on under
    /// [`TaskTiming::Polls`].
    pub fn observe(&mut self, task: usize, detail: usize) {
        let TaskTiming::Polls(reads_to_end) = self.task_timing else {
            return;
        };
        let now = self.now;
        let Some(read) = self.tasks.get_mut(task).and_then(|task| task.details.get_mut(detail)) else {
            return;
        };
        if read.status.is_final() {
            return;
        }
        read.polls += 1;
        if read.polls >= reads_to_end {
            self.finish(task, detail);
        } else if read.polls > 1 {
            read.status = DetailStatus::Executing;
            read.updated = now;
        }
    }

    /// Records one listing of a registrant profile under audit (`QueryRegistrantProfiles`) and decides the audit
    /// on the read its [`TaskTiming::Polls`] count reaches.
    pub fn observe_profile(&mut self, index: usize) {
        let TaskTiming::Polls(reads_to_end) = self.task_timing else {
            return;
        };
        let now = self.now;
        let Some(profile) = self.profiles.get_mut(index) else {
            return;
        };
        if profile.real_name_status != "AUDITING" {
            return;
        }
        profile.real_name_reads += 1;
        if profile.real_name_reads >= reads_to_end {
            decide_profile_audit(profile, now);
        }
    }

    /// Records one read of a domain's qualification review under way (`QueryQualificationDetail`) and decides it
    /// on the read its [`TaskTiming::Polls`] count reaches.
    pub fn observe_qualification(&mut self, domain: usize) {
        let TaskTiming::Polls(reads_to_end) = self.task_timing else {
            return;
        };
        let now = self.now;
        let Some(review) = self
            .domains
            .get_mut(domain)
            .and_then(|domain| domain.qualification.as_mut())
        else {
            return;
        };
        if review.status != QualificationStatus::Auditing {
            return;
        }
        review.reads += 1;
        if review.reads >= reads_to_end {
            decide_qualification(review, now);
        }
    }

    /// Moves every detail, every real-name audit and every qualification review on as the virtual clock says
    /// ([`TaskTiming::Clock`]).
    pub fn settle(&mut self) {
        let TaskTiming::Clock(duration) = self.task_timing else {
            return;
        };
        let duration = Millis::try_from(duration).unwrap_or(Millis::MAX);
        let now = self.now;
        for task in 0..self.tasks.len() {
            let created = self.tasks[task].created;
            for detail in 0..self.tasks[task].details.len() {
                if self.tasks[task].details[detail].status.is_final() {
                    continue;
                }
                if now.saturating_sub(created) >= duration {
                    self.finish(task, detail);
                } else if now > created {
                    self.tasks[task].details[detail].status = DetailStatus::Executing;
                }
            }
        }
        for profile in &mut self.profiles {
            let submitted = profile.real_name_submitted.unwrap_or(now);
            if profile.real_name_status == "AUDITING" && now.saturating_sub(submitted) >= duration {
                decide_profile_audit(profile, now);
            }
        }
        for review in self
            .domains
            .iter_mut()
            .filter_map(|domain| domain.qualification.as_mut())
        {
            let submitted = review.submitted.unwrap_or(now);
            if review.status == QualificationStatus::Auditing && now.saturating_sub(submitted) >= duration {
                decide_qualification(review, now);
            }
        }
    }

    /// Ends every unfinished detail and decides every real-name audit and qualification review now, whatever
    /// the timing.
    pub fn finish_all(&mut self) {
        for task in 0..self.tasks.len() {
            for detail in 0..self.tasks[task].details.len() {
                if !self.tasks[task].details[detail].status.is_final() {
                    self.finish(task, detail);
                }
            }
        }
        let now = self.now;
        for profile in self
            .profiles
            .iter_mut()
            .filter(|profile| profile.real_name_status == "AUDITING")
        {
            decide_profile_audit(profile, now);
        }
        for review in self
            .domains
            .iter_mut()
            .filter_map(|domain| domain.qualification.as_mut())
            .filter(|review| review.status == QualificationStatus::Auditing)
        {
            decide_qualification(review, now);
        }
    }

    /// Ends a detail: a canceled task, a failure rule or a check of the effect makes it fail; otherwise its
    /// effect is applied.
    fn finish(&mut self, task: usize, detail: usize) {
        let action = self.tasks[task].action.clone();
        let canceled = self.tasks[task].canceled;
        let ending = self.tasks[task].details[detail].clone();
        let outcome = if canceled {
            Err("The task was canceled.".to_owned())
        } else if let Some(rule) = self
            .failure_rules
            .iter()
            .find(|rule| rule.matches(&action, &ending.domain))
        {
            Err(rule.reason.clone())
        } else {
            self.apply(&ending)
        };
        let now = self.now;
        let target = &mut self.tasks[task].details[detail];
        target.updated = now;
        match outcome {
            Ok(instance_id) => {
                target.status = DetailStatus::Succeeded;
                if let Some(id) = instance_id {
                    target.instance_id = id;
                }
            }
            Err(reason) => {
                target.status = DetailStatus::Failed { reason, canceled };
                if matches!(ending.effect, Effect::VerifyRealName { .. }) {
                    if let Some(domain) = self
                        .domains
                        .iter_mut()
                        .find(|domain| domain.name.eq_ignore_ascii_case(&ending.domain))
                    {
                        domain.real_name_status = "FAILED".into();
                    }
                }
            }
        }
    }
}
