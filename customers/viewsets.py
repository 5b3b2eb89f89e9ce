"""The base viewset of resources that belong to the customer named in the URL."""

from __future__ import annotations

import functools
from typing import Any, ClassVar
from uuid import UUID

from django.db.models import Model
from django.urls import URLPattern, path
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from customers.document_cache import cached_read, honours_if_match
from customers.permissions import IsReferencedCustomer
from jsonapi.errors import ApiError
from jsonapi.views import ResourceViewSet
from operations.prepared import PreparedPages


class CustomerItemViewSet(ResourceViewSet):
    """List, read, change and remove the caller's own items under ``/customers/{ref}/...``.

    Subclasses set ``resource``, ``queryset`` (with its order), ``not_found`` (the contract's
    404 for an unknown or foreign uuid) and ``filters`` (``filter[name]`` → model field), and
    call their services in ``update_item`` and ``delete_item``. A foreign reference in the URL
    is refused by ``IsReferencedCustomer`` before any of this. ``owner_field`` is the lookup
    from an item to its customer; ``collection_actions`` and ``item_actions`` route the
    methods (a read-only type routes GET alone: the others answer 405).
    """

    lookup_url_kwarg = "uuid"
    permission_classes = [IsAuthenticated, IsReferencedCustomer]
    owner_field = "customer"
    item_actions: ClassVar[dict[str, str]] = {
        "get": "retrieve",
        "patch": "partial_update",
        "delete": "destroy",
    }

    @classmethod
    def routes(cls, item_name: str) -> list[URLPattern]:
        """``customers/{ref}/{type}`` and its ``/{uuid}`` item route.

        The collection route is named after the resource type, which is what lists it in the
        discovery document.
        """
        collection = f"customers/<str:customer_reference>/{cls.resource.type}"
        return [
            path(
                collection,
                cls.as_view(cls.collection_actions),
                name=cls.resource.type,
            ),
            path(
                f"{collection}/<str:uuid>",
                cls.as_view(cls.item_actions),
                name=item_name,
            ),
        ]

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.user.is_authenticated:
            # Reached only by the browsable API, which reads it to render a refusal's page.
            return queryset.none()
        return queryset.filter(**{self.owner_field: self.request.user})

    def filtered_rows(self):
        """The caller's items that ``filter[name]`` of a list asks for (items ignore it)."""
        queryset = self.get_queryset()
        for name, field in self.filters.items():
            value = self.request.query_params.get(f"filter[{name}]")
            if value is None:
                continue
            if "\x00" in value:
                # Nothing stored holds NUL, and PostgreSQL refuses it even in a query.
                return queryset.none()
            queryset = queryset.filter(**{field: value})
        return queryset

    def get_object(self):
        try:
            pk = UUID(self.kwargs[self.lookup_url_kwarg])
        except ValueError as exc:
            raise ApiError(self.not_found) from exc
        item = self.get_queryset().filter(pk=pk).first()
        if item is None:
            raise ApiError(self.not_found)
        return item

    @cached_read
    def list(self, request, customer_reference: str):
        return self.collection(self.listed_rows())

    def listed_rows(self):
        """The caller's items the list shows: filtered, or each page by a prepared query."""
        if any(f"filter[{name}]" in self.request.query_params for name in self.filters):
            return self.filtered_rows()
        return _PreparedRows(type(self), self.request.user)

    @cached_read
    def retrieve(self, request, customer_reference: str, uuid: str):
        return self.document(self.get_object())

    @honours_if_match
    def partial_update(self, request, customer_reference: str, uuid: str):
        item = self.get_object()
        changes = self.validate_body(item).validated_data
        return self.document(self.update_item(item, changes))

    @honours_if_match
    def destroy(self, request, customer_reference: str, uuid: str):
        self.delete_item(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def update_item(self, item: Model, changes: dict[str, Any]) -> Model:
        raise NotImplementedError

    def delete_item(self, item: Model) -> None:
        raise NotImplementedError


@functools.cache
def _pages_of(viewset: type[CustomerItemViewSet]) -> PreparedPages:
    """The prepared page queries of a viewset's items, in the order of its ``queryset``."""
    owner = f"{viewset.owner_field}_id"
    return PreparedPages(lambda customer_id: viewset.queryset.filter(**{owner: customer_id}))


class _PreparedRows:
    """A customer's items for ``jsonapi.pagination``: each page read by a prepared query."""

    def __init__(self, viewset: type[CustomerItemViewSet], customer: Model) -> None:
        self.viewset, self.customer = viewset, customer

    def __getitem__(self, window: slice) -> list[Model]:
        return _pages_of(self.viewset)(window.start, window.stop, self.customer.pk)

    def __len__(self) -> int:
        return self.viewset.queryset.filter(**{self.viewset.owner_field: self.customer}).count()
