package it.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Fixtures;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /providers pages by name with limit and cursor; without them it is the whole array. */
class ProviderPagingIT {

  @Test
  void pagesWalkTheSameListInNameOrder() {
    for (int i = 0; i < 3; i++) {
      Api.Res r =
          Api.post(
              "/providers",
              "{\"name\":\""
                  + Fixtures.unique("paging")
                  + "\",\"adapter\":\"simulator\",\"models\":[\"m\"]}");
      assertEquals(201, r.status(), r.toString());
    }
    List<String> whole = new ArrayList<>();
    for (JsonValue v : Api.get("/providers").array()) {
      whole.add(v.asJsonObject().getString("name"));
    }
    assertTrue(whole.size() >= 4, whole.toString());
    assertEquals(whole.stream().sorted().toList(), whole);
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page =
          Api.get(
                  "/providers?limit=2"
                      + (cursor == null
                          ? ""
                          : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
              .json();
      assertTrue(page.getJsonArray("items").size() <= 2);
      page.getJsonArray("items").forEach(v -> paged.add(v.asJsonObject().getString("name")));
      cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
      pages++;
    } while (cursor != null);
    // providers registered by tests running at the same time may appear: compare ours
    assertTrue(paged.containsAll(whole), paged + " vs " + whole);
    assertEquals(paged.stream().sorted().distinct().toList(), paged);
    assertTrue(pages >= 2);
  }

  @Test
  void badPagingIsAProblemNamingTheParameter() {
    Api.Res cursor = Api.get("/providers?cursor=czoxMg");
    assertEquals(400, cursor.status(), cursor.toString());
    assertEquals(
        "cursor", cursor.json().getJsonArray("violations").getJsonObject(0).getString("field"));
    assertEquals(400, Api.get("/providers?limit=0").status());
    Api.Res cap = Api.get("/providers?capability=telepathy&limit=5");
    assertEquals(400, cap.status());
    assertEquals(
        "capability", cap.json().getJsonArray("violations").getJsonObject(0).getString("field"));
  }
}
