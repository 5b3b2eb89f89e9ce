from relations.views import RelationViewSet

urlpatterns = RelationViewSet.routes(item_name="customer-relation")
