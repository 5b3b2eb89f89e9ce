/**
 * An app's customer journey with openapi-fetch, typed by openapi-typescript from /schema.
 *
 * tests/test_generated_clients.py generates ./schema.d.ts beside a copy of this file and
 * checks both with `tsc --strict --noEmit`: whatever fails to compile here is something an app
 * team would have to cast or edit by hand. Each annotated constant states a member's type as an
 * app reads it: required members are plain, attributes (sparse fieldsets) may be undefined.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./schema";

type Schemas = components["schemas"];

const JSON_API = { "Content-Type": "application/vnd.api+json" };

function clientFor(baseUrl: string, accessToken?: string) {
  const authorization = accessToken ? { Authorization: `Bearer ${accessToken}` } : {};
  return createClient<paths>({ baseUrl, headers: { ...JSON_API, ...authorization } });
}

function expect<T>(answer: { data?: T; response: Response }, step: string): T {
  if (answer.data === undefined) {
    throw new Error(`${step}: HTTP ${answer.response.status}`);
  }
  return answer.data;
}

export interface JourneyResult {
  reference: string;
  addressIds: string[];
  errorCode: string | undefined;
  seen: Record<string, unknown>;
}

export async function customerJourney(
  baseUrl: string,
  email: string,
  password: string,
  registrationKeyOf: (email: string) => Promise<string>,
): Promise<JourneyResult> {
  const anonymous = clientFor(baseUrl);
  const registration: Schemas["RegistrationAttributesRequest"] = {
    salutation: "Ms",
    firstName: "App",
    lastName: "Developer",
    email,
    password,
    confirmPassword: password,
    acceptedTerms: true,
    gender: null,
    dateOfBirth: "1990-01-02",
  };
  const registered = expect(
    await anonymous.POST("/customers", {
      body: { data: { type: "customers", attributes: registration } },
    }),
    "register",
  );
  const reference: string = registered.data.id;

  const registrationKey = await registrationKeyOf(email);
  const confirmed = await anonymous.POST("/customer-confirmation", {
    body: { data: { type: "customer-confirmation", attributes: { registrationKey } } },
  });
  if (confirmed.response.status !== 204) {
    throw new Error(`confirm: HTTP ${confirmed.response.status}`);
  }

  const login = expect(
    await anonymous.POST("/access-tokens", {
      body: { data: { type: "access-tokens", attributes: { username: email, password } } },
    }),
    "log in",
  );
  const tokens: Schemas["TokenPairAttributes"] = login.data.attributes;
  const me = clientFor(baseUrl, tokens.accessToken);
  const path = { customerReference: reference };

  const customer = expect(
    await me.GET("/customers/{customerReference}", {
      params: {
        path,
        query: { include: ["addresses", "customer-relations"], "fields[customers]": ["gender"] },
      },
    }),
    "read the customer",
  );
  const gender: Schemas["GenderEnum"] | null | undefined = customer.data.attributes?.gender;
  const linked: number | undefined = customer.data.relationships?.addresses?.meta.count;

  const changed = expect(
    await me.PATCH("/customers/{customerReference}", {
      params: { path },
      body: { data: { type: "customers", attributes: { firstName: "Renamed", gender: "Diverse" } } },
    }),
    "change the customer",
  );
  const updatedAt: string | undefined = changed.data.attributes?.updatedAt;

  const address: Schemas["AddressAttributesRequest"] = {
    salutation: "Ms",
    firstName: "App",
    lastName: "Developer",
    address1: "Main Street 1",
    address2: "Floor 2",
    zipCode: "10115",
    city: "Berlin",
    iso2Code: "DE",
  };
  const added = expect(
    await me.POST("/customers/{customerReference}/addresses", {
      params: { path },
      body: { data: { type: "addresses", attributes: address } },
    }),
    "add an address",
  );
  const isDefault: boolean | undefined = added.data.attributes?.isDefaultShipping;

  const relation = expect(
    await me.POST("/customers/{customerReference}/customer-relations", {
      params: { path },
      body: {
        data: {
          type: "customer-relations",
          attributes: { domain: "product", refId: "sku-1", dateStart: "2026-01-01 00:00:00" },
        },
      },
    }),
    "add a favorite",
  );
  const relations = Array.isArray(relation.data) ? relation.data : [relation.data];
  const dateStart: string | null | undefined = relations[0]?.attributes?.dateStart;

  const addresses = expect(
    await me.GET("/customers/{customerReference}/addresses", {
      params: { path, query: { "page[limit]": 10, "fields[addresses]": ["city"] } },
    }),
    "list the addresses",
  );
  const total: number = addresses.meta.page.total;
  const next: string | null = addresses.links.next;

  const refreshed = expect(
    await anonymous.POST("/refresh-tokens", {
      body: { data: { type: "refresh-tokens", attributes: { refreshToken: tokens.refreshToken } } },
    }),
    "refresh the token",
  );
  const renewed = clientFor(baseUrl, refreshed.data.attributes.accessToken);

  const loggedOut = await renewed.DELETE("/refresh-tokens/{refreshToken}", {
    params: { path: { refreshToken: "mine" } },
  });
  if (loggedOut.response.status !== 204) {
    throw new Error(`log out: HTTP ${loggedOut.response.status}`);
  }
  const after = await renewed.GET("/customers/{customerReference}", { params: { path } });
  const errorCode: string | undefined = after.error?.errors[0]?.code;

  return {
    reference,
    addressIds: addresses.data.map((item) => item.id),
    errorCode,
    seen: { gender, linked, updatedAt, isDefault, dateStart, total, next },
  };
}
