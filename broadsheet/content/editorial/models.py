"""The review workflow's approval step, limited to the sections where the approver has rights.

Wagtail's group approval task lets any member of its groups approve any page. A newsroom gives
rights per section (:mod:`.roles`): an editor of "Iran" reviews Iran's stories, not those of
"Sport". :class:`SectionApprovalTask` is Wagtail's group approval task with that one more
condition: the member must also hold the step's right (edit, or publish) on the story.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy


class SectionApprovalTask(AbstractGroupApprovalTask):
    """A review step approved by members of its groups who may ``right`` the story."""

    class Right(models.TextChoices):
        CHANGE = "change", "edit the story"
        PUBLISH = "publish", "publish the story"

    right = models.CharField(
        max_length=8,
        choices=Right.choices,
        default=Right.CHANGE,
        help_text="Who of the groups may approve a story: those who may edit it in its "
        "section, or those who may publish it there.",
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "right"]

    class Meta:
        verbose_name = "section review step"
        verbose_name_plural = "section review steps"

    def may_approve(self, obj: Any, user: Any) -> bool:
        """Whether ``user`` may approve or reject ``obj`` (a page) at this step."""
        if user.is_superuser:
            return True
        if not self._user_in_groups(user):
            return False
        if not isinstance(obj, Page):
            return True
        # The policy, not page.permissions_for_user: its tester asks this task about locks.
        return PagePermissionPolicy().user_has_permission_for_instance(user, self.right, obj)

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self.may_approve(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        return not self.may_approve(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return self.may_approve(obj, user)

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        return super().get_actions(obj, user) if self.may_approve(obj, user) else []

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> QuerySet[TaskState]:
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        pages = PagePermissionPolicy().instances_user_has_permission_for(user, self.right)
        return states.filter(
            workflow_state__object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)]
        )

    @classmethod
    def get_description(cls) -> str:
        return (
            "Members of the chosen groups approve, if they may edit (or publish) the story in "
            "its section"
        )
