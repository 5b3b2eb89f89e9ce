from properties.views import PropertyViewSet

urlpatterns = PropertyViewSet.routes(item_name="customer-property")
