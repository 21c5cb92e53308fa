package it.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Browser;
import it.support.Fixtures;
import it.support.TestIdp;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Admin Center logs a browser in through the corporate IdP (OpenID Connect authorization code
 * flow; the test server runs with ltb.console.login=oidc, pom.xml, against the loopback TestIdp):
 * an IdP admin reaches the console and the Java Batch tool's REST calls with the login's cookie; an
 * IdP user outside the admin group logs in at the IdP but is refused by the console.
 */
class AdminCenterOidcIT {

  static final String CONSOLE = Api.HTTPS_BASE + "/adminCenter/";
  static TestIdp idp;

  @BeforeAll
  static void idp() {
    idp = TestIdp.get();
    // A run, so that the Java Batch tool has a job instance to show.
    Fixtures.completedSimulatorRun(Api.ADMIN, Fixtures.sumDataset(2), 1);
  }

  /** Opens the console, is sent to the IdP, logs in there, and follows the way back. */
  private static Browser.Page logIn(Browser browser, String user, String password) {
    Browser.Page first = browser.get(CONSOLE);
    assertEquals(302, first.status(), first.toString());
    assertTrue(first.location().startsWith(idp.base + "/authorize?"), first.toString());
    assertTrue(
        first.location().contains("client_id=" + TestIdp.CONSOLE_CLIENT_ID), first.location());
    Browser.Page loginPage = browser.follow(first);
    assertEquals(200, loginPage.status(), loginPage.toString());
    Browser.Page afterLogin =
        browser.submitForm(loginPage, Map.of("username", user, "password", password));
    assertEquals(302, afterLogin.status(), afterLogin.toString());
    assertTrue(
        afterLogin.location().startsWith(Api.HTTPS_BASE + "/oidcclient/redirect/"),
        afterLogin.toString());
    return browser.follow(afterLogin);
  }

  /** A new IdP account in {@code group}, logged in by {@code browser}. */
  private static Browser.Page logInAs(Browser browser, String prefix, String group) {
    String user = Fixtures.unique(prefix);
    idp.addAccount(user, "console-pass-1", group);
    return logIn(browser, user, "console-pass-1");
  }

  @Test
  void anIdpAdminShouldReachTheConsoleAndTheJavaBatchToolsRestCalls() {
    Browser browser = new Browser();
    Browser.Page console = logInAs(browser, "console-admin", TestIdp.ADMINS);
    assertEquals(200, console.status(), browser.history.toString());
    assertEquals(CONSOLE, console.uri().toString(), "back on the page first asked for");

    // The Java Batch tool's calls, with the login's cookies only (no Authorization header).
    Browser.Page jobs =
        browser.get(Api.HTTPS_BASE + "/ibm/api/batch/jobinstances?jobName=benchmark-run");
    assertEquals(200, jobs.status(), jobs.toString());
    assertTrue(jobs.body().contains("\"instanceId\""), jobs.toString());
    assertTrue(jobs.body().contains("benchmark-run"), jobs.toString());

    // The console's own REST API (the toolbox) knows the IdP identity.
    Browser.Page toolbox = browser.get(Api.HTTPS_BASE + "/ibm/api/adminCenter/v1/toolbox");
    assertEquals(200, toolbox.status(), toolbox.toString());
  }

  @Test
  void anIdpUserOutsideTheAdminGroupShouldBeRefusedByTheConsole() {
    Browser browser = new Browser();
    Browser.Page console = logInAs(browser, "console-user", TestIdp.USERS);
    assertEquals(403, console.status(), browser.history.toString());
  }

  @Test
  void aWrongPasswordAtTheIdpShouldLogNobodyIn() {
    String user = Fixtures.unique("console-wrong");
    idp.addAccount(user, "console-pass-3", TestIdp.ADMINS);
    Browser browser = new Browser();
    Browser.Page loginPage = browser.follow(browser.get(CONSOLE));
    Browser.Page refused =
        browser.submitForm(loginPage, Map.of("username", user, "password", "wrong"));
    assertEquals(401, refused.status(), refused.toString());
    Browser.Page again = browser.get(CONSOLE);
    assertEquals(302, again.status(), "still sent to the IdP: " + again);
  }
}
