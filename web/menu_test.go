package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// headerRows counts the lines the header's items take: the brand, each
// entry of the menu, the signed-in person, the language and sign-out
// buttons, grouped by where their boxes start (an item more than half a
// line below the first starts a new one). And whether it runs past the
// window, or squeezes the person's name below 9rem.
const headerRows = `(() => {
	const items = [...document.querySelectorAll('header.top > .brand, header.top nav > ul > li, header.top > .who, header.top > form button')];
	const tops = items.map(e => e.getBoundingClientRect().top);
	const first = Math.min(...tops);
	const line = items[0].getBoundingClientRect().height;
	const rows = new Set(tops.map(t => Math.round((t - first) / line)));
	const right = Math.max(...items.map(e => e.getBoundingClientRect().right));
	// a long name may give way, not below 9rem (144 pixels)
	const who = document.querySelector('header.top > .who');
	const squeezed = who.scrollWidth > who.clientWidth && who.clientWidth < 143;
	return JSON.stringify({rows: rows.size, items: items.length, overflow: right > window.innerWidth || squeezed});
})()`

// Every role's menu keeps to one line at 1280 pixels, in Dutch and in
// French: the administration folds under one entry (Beheer / Gestion), a
// disclosure that opens with a click, shows its links, passes axe open,
// and works with scripts off.
func TestMenuFitsOneLine(t *testing.T) {
	ctx := newChrome(t)
	axe := axeSource(t)
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	// Names as long as people's are, not the fixture's.
	if _, err := db.Exec(context.Background(), `UPDATE staff_users SET display_name = 'Marie-Christine Vandenberghe' WHERE id = $1`, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	admin, err := st.CreateUser(context.Background(), store.User{CentreID: fx.CentreID, Email: "admin@ocmw.example", DisplayName: "Jean-Baptiste Van den Bossche", Role: domain.RoleAdmin, Language: "nl", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	hostUser, _ := seedHostWorker(t, st, fx)
	chef, err := st.ActiveUser(context.Background(), hostUser)
	if err != nil {
		t.Fatal(err)
	}
	hostAdmin, err := st.CreateUser(context.Background(), store.User{HostID: chef.HostID, Email: "baas@resto.example", DisplayName: "Anne-Sophie Vandermeulen", Role: domain.RoleHostAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, who := range []struct{ name, id string }{{"counsellor", fx.CounsellorID}, {"coordinator", fx.CoordinatorID}, {"bcsd", fx.BCSDID},
		{"admin", admin}, {"host", hostUser}, {"hostadmin", hostAdmin}} {
		for _, lang := range []string{"nl", "fr"} {
			label := who.name + "/" + lang
			if err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/signin"),
				chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+who.id+`"] + button`)),
				chromedp.WaitVisible(chromedp.CSS(`.who`)),
			); err != nil {
				t.Fatalf("%s: sign in: %v", label, err)
			}
			checkLanguage(t, ctx, srv.URL, lang)
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.innerWidth`))
			if err != nil || width != 1280 {
				t.Fatalf("%s: the window is %d pixels wide (%v)", label, width, err)
			}
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](headerRows))
			if err != nil {
				t.Fatal(err)
			}
			if raw != `{"rows":1,"items":`+fmt.Sprint(countItems(t, ctx))+`,"overflow":false}` {
				widths, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll('header.top > .brand, header.top nav > ul > li, header.top > .who, header.top > form button')].map(e => e.textContent.trim().slice(0, 20) + ":" + Math.round(e.getBoundingClientRect().width)))`))
				t.Errorf("%s: the header takes more than one line at 1280 pixels: %s %s", label, raw, widths)
				if *updateScreenshots {
					screenshot(t, ctx, "menu-"+who.name+"-"+lang+".png")
				}
			}
			if who.name == "admin" || who.name == "coordinator" {
				// The folded entries: closed, then open with their links.
				if err := chromedp.Do(ctx,
					chromedp.Click(chromedp.CSS(`header .menu summary`)),
					chromedp.WaitVisible(chromedp.CSS(`header .menu a[href="/policy"]`)),
				); err != nil {
					t.Fatalf("%s: the folded menu does not open: %v", label, err)
				}
				checkAxe(t, ctx, axe, label+" menu open")
				if *updateScreenshots && lang == "nl" {
					screenshot(t, ctx, "menu-"+who.name+"-open.png")
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`form[action="/signin/dev"]`))); err != nil {
				t.Fatalf("%s: sign out: %v", label, err)
			}
		}
	}

	// With scripts off, the administrator opens the letters' settings
	// from the folded menu.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+admin+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
	); err != nil {
		t.Fatal(err)
	}
	checkLanguage(t, ctx, srv.URL, "nl")
	noScript := chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	})
	if err := chromedp.Do(ctx, noScript,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Click(chromedp.CSS(`header .menu summary`)),
		chromedp.Click(chromedp.CSS(`header .menu a[href="/admin/letters"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/letters"]`)),
	); err != nil {
		t.Fatalf("the folded menu without JavaScript: %v", err)
	}
	if loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.htmx !== "undefined"`)); err != nil || loaded {
		t.Fatalf("htmx ran with scripts off (%v)", err)
	}
	current, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('header .menu summary').classList.contains('current')`))
	if err != nil || !current {
		t.Errorf("the folded menu does not show it holds the page open (%v)", err)
	}
}

// countItems counts the header's items headerRows measures.
func countItems(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('header.top > .brand, header.top nav > ul > li, header.top > .who, header.top > form button').length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
