"""The newsroom's roles (Big Medium's five): writer, editor, publisher, webmaster, administrator.

Each role is a Django group holding the role's site-wide rights (admin access, images, authors,
tips, moderation, settings…). Rights on stories are given **per section**: granting a user the
role *editor* in the section *Iran* puts them in the group "Editor · iran" as well, which holds
Wagtail page permissions (``GroupPagePermission``) on that section page and so on every story
and subsection under it. Without a section, the role covers every section (the tree root).

=============  ==================================================================================
role           rights
=============  ==================================================================================
writer         writes stories in their sections and edits their own; submits them for review;
               cannot publish
editor         edits every story in their sections, reviews submitted stories, moderates
               comments, the guestbook and letters, manages authors and tips; cannot publish
publisher      what an editor may, and publishes (also approving the last review step)
webmaster      site settings, redirects, sites, re-bakes; no stories
administrator  everything, on the whole site, and the newsroom's accounts
=============  ==================================================================================

The groups and the review workflow are created by this app's migrations (:func:`install`);
:func:`grant` and :func:`revoke` give and take a role (``broadsheet role``, docs/editors.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

PAGE_ACTIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


@dataclass(frozen=True)
class Role:
    """A newsroom role.

    ``key`` is what commands take (``editor``); ``name`` is the Django group's name;
    ``page_permissions`` are codenames of ``wagtailcore.Page`` permissions granted on each
    section the role is given in (empty: the role has no right on stories);
    ``permissions`` are ``app_label.codename`` model permissions granted site-wide;
    ``image_permissions`` are codenames granted on the root collection of images;
    ``sectioned``: the page permissions are given per section (else on the whole tree, or none).
    """

    key: str
    name: str
    description: str
    page_permissions: tuple[str, ...]
    permissions: tuple[str, ...]
    image_permissions: tuple[str, ...] = ()
    sectioned: bool = True


ADMIN = ("wagtailadmin.access_admin",)
DESK = (
    "newsroom.add_author",
    "newsroom.change_author",
    "newsroom.add_tip",
    "newsroom.change_tip",
    "newsroom.delete_tip",
    "discussion.change_comment",
    "discussion.change_guestbookentry",
    "discussion.change_letter",
    "discussion.view_authormessage",
)
WEB = (
    "newsroom.change_newsroomsettings",
    "discussion.change_discussionsettings",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
    "wagtailcore.add_site",
    "wagtailcore.change_site",
    "baking.add_bakerequest",
)
ACCOUNTS = (
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.add_group",
    "auth.change_group",
    "wagtailcore.add_workflow",
    "wagtailcore.change_workflow",
    "wagtailcore.add_task",
    "wagtailcore.change_task",
)
IMAGES = ("add_image", "change_image", "choose_image")

ROLES: dict[str, Role] = {
    role.key: role
    for role in (
        Role(
            "writer",
            "Writer",
            "Writes stories in their sections and edits their own; submits them for review. "
            "Cannot publish.",
            ("add_page",),
            ADMIN,
            ("add_image", "choose_image"),
        ),
        Role(
            "editor",
            "Editor",
            "Edits every story in their sections and reviews submitted ones; moderates "
            "comments, the guestbook and letters; manages authors and tips. Cannot publish.",
            ("add_page", "change_page", "lock_page", "unlock_page"),
            ADMIN + DESK,
            IMAGES,
        ),
        Role(
            "publisher",
            "Publisher",
            "What an editor may, and publishes and unpublishes stories in their sections.",
            PAGE_ACTIONS,
            ADMIN + DESK,
            IMAGES,
        ),
        Role(
            "webmaster",
            "Webmaster",
            "Site settings, the site-wide notice, redirects, sites and re-bakes. No stories.",
            (),
            ADMIN + WEB,
            sectioned=False,
        ),
        Role(
            "administrator",
            "Administrator",
            "Everything on the whole site, and the newsroom's accounts and workflows.",
            (*PAGE_ACTIONS, "bulk_delete_page"),
            ADMIN + DESK + WEB + ACCOUNTS,
            (*IMAGES, "delete_image"),
            sectioned=False,
        ),
    )
}

WORKFLOW_NAME = "Newsroom review"
REVIEW_TASK = "Editor's review"
PUBLISH_TASK = "Publisher's approval"


def get_role(key: str) -> Role:
    """The role named ``key`` (``writer``…); ``KeyError`` with the known keys otherwise."""
    try:
        return ROLES[key.strip().lower()]
    except KeyError:
        raise KeyError(f"no role {key!r}; the roles are {', '.join(ROLES)}") from None


def _permission(apps: Any, dotted: str) -> Any:
    """The ``Permission`` ``app_label.codename``, created if the app's permissions are not yet
    (they are made after the last migration of a fresh database)."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = dotted.split(".")
    action, _, model = codename.rpartition("_")  # bulk_delete_page: page
    if app_label == "wagtailadmin":
        model = "admin"
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {action.replace('_', ' ')} {model}"},
    )
    return permission


def install(apps: Any = global_apps) -> None:
    """Create (or bring up to date) the role groups and the "Newsroom review" workflow.

    Idempotent. ``apps`` is a migration's historical app registry, or the running one. The
    workflow has two steps — an editor's review, then a publisher's approval, which publishes —
    and applies to the whole tree (Wagtail's default workflow is replaced at the root).
    """
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    SectionApprovalTask = apps.get_model("editorial", "SectionApprovalTask")

    groups = {}
    root_collection = Collection.objects.filter(depth=1).first()
    root_page = Page.objects.filter(depth=1).first()
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.name)
        groups[role.key] = group
        group.permissions.add(*(_permission(apps, p) for p in role.permissions))
        if root_collection is not None:
            for codename in role.image_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, f"wagtailimages.{codename}"),
                )
        if role.key == "administrator" and root_page is not None:
            for codename in role.page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=_permission(apps, f"wagtailcore.{codename}"),
                )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="editorial", model="sectionapprovaltask"
    )
    steps = [
        (REVIEW_TASK, "change", ("editor", "publisher", "administrator")),
        (PUBLISH_TASK, "publish", ("publisher", "administrator")),
    ]
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (name, right, keys) in enumerate(steps):
        task, _ = SectionApprovalTask.objects.get_or_create(
            name=name, defaults={"right": right, "content_type": task_type, "active": True}
        )
        task.groups.set([groups[k] for k in keys])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def section_label(section: Any) -> str:
    """A section's path below the site root (``iran/opposition``); "all sections" for the root
    of the tree or the front page."""
    if section is None or section.depth <= 2:
        return "all sections"
    return section.url_path.strip("/").split("/", 1)[-1]


def section_group_name(role: Role, section: Any) -> str:
    """The name of the group holding ``role``'s page permissions on ``section``."""
    return f"{role.name} · {section_label(section)}"


@transaction.atomic
def grant(user: Any, key: str, section: Any = None) -> list[str]:
    """Give ``user`` the role ``key`` in ``section`` (a section page; ``None``: every section).

    Returns the names of the groups the user is now in for it. Raises ``KeyError`` for an
    unknown role and ``ValueError`` when a section is named for a role without rights on
    given site-wide (webmaster, administrator) or when ``section`` is not a section page.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    from broadsheet.content.newsroom.models import SectionPage

    role = get_role(key)
    if section is not None and not role.sectioned:
        raise ValueError(f"a {role.key}'s rights are site-wide: give no section")
    if section is not None and not isinstance(section.specific, SectionPage):
        raise ValueError(f"{section.title!r} is not a section")
    install()
    names = [role.name]
    user.groups.add(Group.objects.get(name=role.name))
    if role.sectioned:
        target = section or Page.get_first_root_node()
        group, _ = Group.objects.get_or_create(name=section_group_name(role, section))
        for codename in role.page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=target,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        user.groups.add(group)
        names.append(group.name)
    return names


@transaction.atomic
def revoke(user: Any, key: str, section: Any = None) -> None:
    """Take the role ``key`` in ``section`` (``None``: every section) from ``user``; when the
    user keeps the role in no section, the role's site-wide group goes too."""
    from django.contrib.auth.models import Group

    role = get_role(key)
    user.groups.remove(*Group.objects.filter(name=section_group_name(role, section)))
    prefix = f"{role.name} · "
    if not role.sectioned or not user.groups.filter(name__startswith=prefix).exists():
        user.groups.remove(*Group.objects.filter(name=role.name))


def roles_of(user: Any) -> list[str]:
    """The names of the user's role groups (``Editor``, ``Editor · iran``…), sorted."""
    role_names = {r.name for r in ROLES.values()}
    names = user.groups.values_list("name", flat=True)
    return sorted(n for n in names if n.split(" · ")[0] in role_names)
