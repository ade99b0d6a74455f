/* global AdaptiveCards, htmx, markdownit */
/**
 * Draws the Teams cards of a console page with Microsoft's Adaptive Cards renderer, in Teams'
 * look, and lists what the renderer or the version check found wrong. Each card is an element
 * with its JSON in `data-card`; `data-check-versions` names the versions its destinations take
 * (Workflows: 1.4). The result goes in `data-render` ("ok" or "failed"), which the browser
 * tests read. htmx.onLoad runs this for the page and for every part htmx swaps in.
 */
(() => {
  // After the Adaptive Cards Designer's "Microsoft Teams - Light" host config.
  const foreground = {
    default: { default: '#252424', subtle: '#bf252424' },
    dark: { default: '#252424', subtle: '#bf252424' },
    light: { default: '#ffffff', subtle: '#fff3f2f1' },
    accent: { default: '#6264a7', subtle: '#8b8cc7' },
    good: { default: '#237b4b', subtle: '#e5237b4b' },
    warning: { default: '#835c00', subtle: '#e5835c00' },
    attention: { default: '#c4314b', subtle: '#e5c4314b' },
  };
  const hostConfig = new AdaptiveCards.HostConfig({
    supportsInteractivity: true,
    fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: '#eeeeee' },
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 200, default: 400, bolder: 600 },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: { foregroundColors: foreground, backgroundColor: '#ffffff' },
      emphasis: { foregroundColors: foreground, backgroundColor: '#f9f8f7' },
    },
    actions: {
      maxActions: 6,
      spacing: 'default',
      buttonSpacing: 8,
      showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
      actionsOrientation: 'horizontal',
      actionAlignment: 'left',
    },
    adaptiveCard: { allowCustomStyle: false },
    factSet: {
      title: { size: 'default', color: 'default', weight: 'bolder', wrap: true, maxWidth: 150 },
      value: { size: 'default', color: 'default', weight: 'default', wrap: true },
      spacing: 8,
    },
  });
  const versions = { 1.4: AdaptiveCards.Versions.v1_4, 1.5: AdaptiveCards.Versions.v1_5 };
  // Teams shows card text as markdown, never as HTML: markdown-it with html off escapes every tag.
  const markdown = markdownit({ html: false, linkify: false });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown.render(text);
    result.didProcess = true;
  };

  /** Every error and warning of the parser and the validator at one version. */
  function problemsAt(json, version) {
    const context = new AdaptiveCards.SerializationContext(versions[version]);
    const card = new AdaptiveCards.AdaptiveCard();
    card.parse(json, context);
    const messages = [];
    for (let i = 0; i < context.eventCount; i++) messages.push(context.getEventAt(i).message);
    for (const event of card.validateProperties().validationEvents) messages.push(event.message);
    if (Number(json.version) > Number(version)) messages.push(`the card says version ${json.version}`);
    return messages;
  }

  function draw(slot) {
    const problems = [];
    let json;
    try {
      json = JSON.parse(slot.dataset.card);
      const card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.parse(json);
      const drawn = card.render();
      if (!drawn) throw new Error('the renderer drew nothing');
      slot.replaceChildren(drawn);
      slot.dataset.render = 'ok';
    } catch (error) {
      slot.dataset.render = 'failed';
      problems.push(`renderer: ${error.message}`);
    }
    for (const version of (slot.dataset.checkVersions ?? '').split(' ').filter(Boolean)) {
      if (json) for (const message of problemsAt(json, version)) problems.push(`at ${version}: ${message}`);
    }
    if (problems.length === 0) return;
    const list = document.createElement('ul');
    list.className = 'card-problems';
    for (const problem of problems) {
      const item = document.createElement('li');
      item.textContent = problem;
      list.append(item);
    }
    slot.after(list);
  }

  htmx.onLoad((root) => {
    for (const slot of root.querySelectorAll('[data-card]')) if (!slot.dataset.render) draw(slot);
  });
})();
