import { escapeHtml, renderMessagePage, renderUserPicker } from './interaction-pages';
import { TEST_USERS, type TestUser } from './test-users';

describe('mock Google login pages', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('offers one login form per test user, posting its email to the interaction', () => {
    const html = renderUserPicker({
      interactionUid: 'abc_123',
      clientId: 'rack-gateway-dev',
      users: TEST_USERS,
    });
    for (const testUser of TEST_USERS) {
      expect(html).toContain(
        `<form method="post" action="/interaction/abc_123/login">\n<input type="hidden" name="email" value="${testUser.email}">`,
      );
    }
    expect(html).toContain('action="/interaction/abc_123/abort"');
  });

  it('never prints names, emails, client ids or uids unescaped', () => {
    const hostile: TestUser = {
      sub: '1',
      email: '"><script>alert(1)</script>@x.test',
      name: '<img src=x onerror=alert(2)>',
      emailVerified: true,
      hostedDomain: '<b>x.test</b>',
    };
    const html = renderUserPicker({
      interactionUid: '"><i>',
      clientId: '<svg onload=alert(3)>',
      users: [hostile],
    });
    expect(html).not.toMatch(/<script|<img|<svg|<b>|<i>/);
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('action="/interaction/%22%3E%3Ci%3E/login"');

    const message = renderMessagePage('<t>', '<m>');
    expect(message).not.toMatch(/<t>|<m>/);
  });
});
