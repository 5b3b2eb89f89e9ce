from customer_groups.views import CustomerGroupViewSet

urlpatterns = CustomerGroupViewSet.routes(item_name="customer-group")
