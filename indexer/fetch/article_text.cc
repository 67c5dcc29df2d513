#include "article_text.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "boilerplate.h"
#include "html_text.h"
#include "text_chars.h"

namespace xinwen::extract {
namespace {

struct NodeStats {
  std::size_t chars = 0;       // visible non-space characters
  std::size_t link_chars = 0;  // of which inside <a>
};

class Stats {
 public:
  explicit Stats(const xmlNode* root) { compute(root, false); }
  NodeStats operator()(const xmlNode* n) const {
    auto it = map_.find(n);
    return it == map_.end() ? NodeStats{} : it->second;
  }
  double link_density(const xmlNode* n) const {
    NodeStats s = (*this)(n);
    return s.chars ? static_cast<double>(s.link_chars) / static_cast<double>(s.chars) : 0.0;
  }

 private:
  NodeStats compute(const xmlNode* n, bool in_link) {
    NodeStats s;
    for (const xmlNode* c = n->children; c; c = c->next) {
      if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
        std::size_t k = count_chars(reinterpret_cast<const char*>(c->content));
        s.chars += k;
        if (in_link) s.link_chars += k;
      } else if (c->type == XML_ELEMENT_NODE && !is_invisible(xml_name(c))) {
        NodeStats cs = compute(c, in_link || xml_name(c) == "a");
        s.chars += cs.chars;
        s.link_chars += cs.link_chars;
      }
    }
    map_[n] = s;
    return s;
  }
  std::unordered_map<const xmlNode*, NodeStats> map_;
};

// Removes furniture, except an element that holds more than half of the
// page's text (some sites wrap the whole page in an "ad-wrapper") and the
// elements in keep (the article's container and its ancestors).
void prune(xmlNode* root, const std::unordered_set<const xmlNode*>& keep) {
  Stats stats(root);
  const std::size_t page_chars = stats(root).chars;
  std::vector<xmlNode*> doomed;
  auto walk = [&](auto& self, xmlNode* n) -> void {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_COMMENT_NODE) {
        doomed.push_back(c);
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      if (is_invisible(xml_name(c)) ||
          (is_furniture(c) && stats(c).chars * 2 <= page_chars && keep.find(c) == keep.end())) {
        doomed.push_back(c);
        continue;
      }
      self(self, c);
    }
  };
  walk(walk, root);
  for (xmlNode* n : doomed) {
    xmlUnlinkNode(n);
    XmlNode gone(n);
  }
}

bool is_paragraph_tag(std::string_view name) {
  return name == "p" || name == "pre" || name == "blockquote" || name == "li" || name == "td" || name == "dd";
}

double tag_weight(std::string_view name) {
  if (name == "article") return 10;
  if (name == "div" || name == "main") return 5;
  if (name == "section" || name == "td" || name == "blockquote") return 3;
  if (name == "pre") return 3;
  if (name == "ul" || name == "ol" || name == "dl" || name == "dd" || name == "dt" || name == "li") return -3;
  if (name == "form" || name == "address") return -3;
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return -5;
  if (name == "th") return -5;
  return 0;
}

// Readability's idea: every stretch of prose scores its container (and, less,
// the containers above); link-heavy containers are discounted; the best
// container is the article.
class Scorer {
 public:
  // With markup_only, elements that are furniture by their tag, role or
  // hiddenness are not scored (nor anything inside them), and class and id
  // names count for nothing: only the prose and the tags speak.
  // Elements in kept are never marked down for a furniture name.
  Scorer(const xmlNode* root, bool markup_only, const std::unordered_set<const xmlNode*>& kept)
      : stats_(root), markup_only_(markup_only), kept_(kept) {
    walk(root);
  }

  // The best-scoring container; the first in document order on a tie.
  const xmlNode* best() const {
    const xmlNode* top = nullptr;
    double top_score = 0;
    for (const xmlNode* n : order_) {
      double f = final_score(n);
      if (!top || f > top_score) {
        top = n;
        top_score = f;
      }
    }
    return top;
  }

  double final_score(const xmlNode* n) const {
    auto it = scores_.find(n);
    if (it == scores_.end()) return 0;
    const Score& sc = it->second;
    // A name that says "content" or "article" counts for a container with
    // prose of its own, up to as much again as that prose: a header named
    // "content-wrapper" around a title must not outscore the story.
    const double named = sc.name > 0 ? std::min(sc.name, sc.prose) : sc.name;
    return (sc.tag + sc.prose + named) * (1.0 - stats_.link_density(n));
  }

  const Stats& stats() const { return stats_; }

 private:
  void walk(const xmlNode* n) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string_view name = xml_name(c);
      if (is_invisible(name) || (markup_only_ && is_furniture_markup(c))) continue;
      if (is_paragraph_tag(name)) {
        score_prose(inline_text(c), c, c->parent);
        if (name == "li" || name == "td" || name == "dd" || name == "blockquote") walk(c);
        continue;
      }
      std::string own = own_text(c);
      if (count_chars(own) >= 25) score_prose(own, c, c);
      walk(c);
    }
  }

  void score_prose(const std::string& text, const xmlNode* holder, const xmlNode* first) {
    const std::size_t len = count_chars(text);
    if (len < 15) return;
    double s = 1.0 + static_cast<double>(std::min<std::size_t>(count_clauses(text), 30)) +
               std::min(static_cast<double>(len) / 100.0, 3.0);
    s *= 1.0 - stats_.link_density(holder);
    int level = 0;
    for (const xmlNode* a = first; a && a->type == XML_ELEMENT_NODE && level < 5; a = a->parent, ++level) {
      auto [it, fresh] = scores_.try_emplace(a);
      if (fresh) {
        it->second.tag = tag_weight(xml_name(a));
        if (!markup_only_)
          it->second.name = (is_positive(a) ? 25.0 : 0.0) - (!kept_.count(a) && is_negative(a) ? 25.0 : 0.0);
        order_.push_back(a);
      }
      const double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
      it->second.prose += s / divider;
    }
  }

  struct Score {
    double tag = 0;    // tag_weight
    double name = 0;   // +25 for a class or id naming the article, -25 for furniture
    double prose = 0;  // from the prose inside
  };

  Stats stats_;
  bool markup_only_;
  const std::unordered_set<const xmlNode*>& kept_;
  std::unordered_map<const xmlNode*, Score> scores_;
  std::vector<const xmlNode*> order_;  // scored containers, first scored first
};

// The article's element, and the siblings that belong with it (a lead
// paragraph outside the body's <div>, a second column of text).
// The blocks a story is split into: when the best container sits inside one
// of several siblings of the same tag and class ("StoryBodyCompanionColumn",
// one "card" per paragraph group), every such sibling that holds prose.
// Empty if top's parent and grandparent have no such siblings.
std::vector<const xmlNode*> sibling_blocks(const Stats& stats, const xmlNode* top) {
  const xmlNode* a = top->parent;
  for (int level = 1; level <= 2 && a && a->type == XML_ELEMENT_NODE && a->parent; ++level, a = a->parent) {
    const std::string cls = xml_attr(a, "class");
    if (cls.empty()) continue;
    std::vector<const xmlNode*> blocks;
    for (const xmlNode* s = a->parent->children; s; s = s->next)
      if (s == a || (s->type == XML_ELEMENT_NODE && xml_name(s) == xml_name(a) && xml_attr(s, "class") == cls &&
                     stats(s).chars > 0 && stats.link_density(s) < 0.5))
        blocks.push_back(s);
    if (blocks.size() > 1) return blocks;
  }
  return {};
}

std::vector<const xmlNode*> article_nodes(const Scorer& scorer, const xmlNode* top) {
  std::vector<const xmlNode*> out;
  if (std::vector<const xmlNode*> blocks = sibling_blocks(scorer.stats(), top); !blocks.empty()) return blocks;
  if (!top->parent || top->parent->type != XML_ELEMENT_NODE) return {top};
  const double top_score = scorer.final_score(top);
  const double threshold = std::max(10.0, top_score * 0.2);
  const std::string top_class = xml_attr(top, "class");
  for (const xmlNode* s = top->parent->children; s; s = s->next) {
    if (s == top) {
      out.push_back(s);
      continue;
    }
    if (s->type != XML_ELEMENT_NODE) continue;
    double bonus = (!top_class.empty() && xml_attr(s, "class") == top_class) ? top_score * 0.2 : 0;
    bool keep = scorer.final_score(s) + bonus >= threshold;
    if (!keep && xml_name(s) == "p") {
      std::string text = inline_text(s);
      std::size_t len = count_chars(text);
      double density = scorer.stats().link_density(s);
      keep = (len > 80 && density < 0.25) || (len > 0 && len <= 80 && density == 0 && ends_sentence(text));
    }
    if (keep) out.push_back(s);
  }
  return out;
}

std::vector<std::string> render_article(const std::vector<const xmlNode*>& nodes, const Stats& stats) {
  TextBuilder b;
  auto skip = [&](const xmlNode* n) {
    std::string_view name = xml_name(n);
    if (name == "h1") return true;                         // the title, which has its own field
    return is_block(name) && stats.link_density(n) > 0.5;  // a list of links
  };
  for (const xmlNode* n : nodes) {
    b.flush();
    render(n, b, skip);
    b.flush();
  }
  return b.take();
}

}  // namespace

std::string main_text(xmlNode* body, const std::string& title) {
  // Class names are a weak signal: a wrapper named "content-with-sidebar" or
  // tagged by a CMS can hold the whole article. The container the prose
  // points to before anything is removed, and its ancestors, are never
  // removed for their names.
  std::unordered_set<const xmlNode*> keep;
  {
    Scorer first(body, true, keep);
    for (const xmlNode* a = first.best(); a && a != body; a = a->parent) keep.insert(a);
  }
  prune(body, keep);
  Scorer scorer(body, false, keep);
  const xmlNode* top = scorer.best();
  if (!top) top = body;
  std::vector<std::string> paragraphs = render_article(article_nodes(scorer, top), scorer.stats());
  return join_paragraphs(trim_paragraphs(std::move(paragraphs), title, true));
}

}  // namespace xinwen::extract
